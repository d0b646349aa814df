package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.ServerProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Choosing which nodes a fault hits. */
final class Targets {
    private Targets() {
    }

    /**
     * One to a minority of the nodes; half of the time the current leader is among them, since
     * faults at the leader are the ones that exercise elections, forwarding and unknown outcomes.
     * A fault never takes a majority: the cluster must stay able to make progress, or a run would
     * measure nothing but waiting.
     */
    static List<ServerProcess> minority(LocalCluster cluster, Random random) {
        List<ServerProcess> all = new ArrayList<>(cluster.servers());
        int max = (all.size() - 1) / 2;
        int count = 1 + random.nextInt(max);
        List<ServerProcess> chosen = new ArrayList<>();
        if (random.nextBoolean()) {
            Optional<ServerProcess> leader = cluster.leader();
            leader.ifPresent(chosen::add);
            leader.ifPresent(all::remove);
        }
        Collections.shuffle(all, random);
        for (ServerProcess server : all) {
            if (chosen.size() >= count) {
                break;
            }
            chosen.add(server);
        }
        return chosen;
    }

    /** {@code n1 n3}, with {@code (leader)} after the node that led when the fault was chosen. */
    static String describe(List<ServerProcess> servers, Optional<ServerProcess> leader) {
        StringBuilder text = new StringBuilder();
        for (ServerProcess server : servers) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(server.id());
            if (leader.isPresent() && leader.get() == server) {
                text.append(" (leader)");
            }
        }
        return text.toString();
    }
}
