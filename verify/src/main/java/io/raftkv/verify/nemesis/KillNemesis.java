package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.ServerProcess;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * kill -9 a minority of the nodes (the leader half of the time), and on heal restart them from
 * their data directories: a crash loses everything not yet fsynced, which must be nothing that was
 * acknowledged.
 */
public final class KillNemesis implements Nemesis {
    @Override
    public String name() {
        return "kill";
    }

    @Override
    public Fault inject(LocalCluster cluster, Random random) {
        Optional<ServerProcess> leader = cluster.leader();
        List<ServerProcess> victims = Targets.minority(cluster, random);
        victims.forEach(ServerProcess::kill);
        String description = "kill -9 " + Targets.describe(victims, leader);
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() throws Exception {
                for (ServerProcess victim : victims) {
                    victim.start();
                }
            }
        };
    }
}
