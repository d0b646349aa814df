package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.ServerProcess;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * SIGSTOP a minority of the nodes (the leader half of the time), SIGCONT on heal. A paused
 * leader wakes up believing it still leads, with requests and timers from before the pause: the
 * case leases and check-quorum exist for.
 */
public final class PauseNemesis implements Nemesis {
    @Override
    public String name() {
        return "pause";
    }

    @Override
    public Fault inject(LocalCluster cluster, Random random) {
        Optional<ServerProcess> leader = cluster.leader();
        List<ServerProcess> victims = Targets.minority(cluster, random);
        victims.forEach(ServerProcess::pause);
        String description = "SIGSTOP " + Targets.describe(victims, leader);
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() {
                victims.forEach(ServerProcess::resume);
            }
        };
    }
}
