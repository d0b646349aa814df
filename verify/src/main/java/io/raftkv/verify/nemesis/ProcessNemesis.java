package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.ServerProcess;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Faults done to server processes: one to a minority of the voters (the leader half of the time,
 * see {@link Targets#minority}) get the fault, and the same nodes are healed.
 */
public final class ProcessNemesis implements Nemesis {
    /** What is done to one process. */
    private interface Action {
        void apply(ServerProcess server) throws Exception;
    }

    private final String name;
    private final String verb;
    private final Action fault;
    private final Action heal;

    private ProcessNemesis(String name, String verb, Action fault, Action heal) {
        this.name = name;
        this.verb = verb;
        this.fault = fault;
        this.heal = heal;
    }

    /**
     * kill -9, and on heal a restart from the same data directory: a crash loses everything not
     * yet fsynced, which must be nothing that was acknowledged.
     */
    public static ProcessNemesis kill() {
        return new ProcessNemesis("kill", "kill -9", ServerProcess::kill, ServerProcess::start);
    }

    /**
     * SIGSTOP, SIGCONT on heal. A paused leader wakes up believing it still leads, with requests
     * and timers from before the pause: the case leases and check-quorum exist for.
     */
    public static ProcessNemesis pause() {
        return new ProcessNemesis("pause", "SIGSTOP", ServerProcess::pause, ServerProcess::resume);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Fault inject(LocalCluster cluster, Random random) throws Exception {
        Optional<ServerProcess> leader = cluster.leader();
        List<ServerProcess> victims = Targets.minority(cluster, random, name);
        if (victims.isEmpty()) {
            return null;
        }
        for (ServerProcess victim : victims) {
            fault.apply(victim);
        }
        String description = verb + " " + Targets.describe(victims, leader);
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() throws Exception {
                try {
                    for (ServerProcess victim : victims) {
                        heal.apply(victim);
                    }
                } finally {
                    cluster.budget().release(Targets.ids(victims));
                }
            }
        };
    }
}
