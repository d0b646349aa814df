package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.FaultBudget;
import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.ServerProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** Choosing which nodes a fault hits. */
final class Targets {
    private Targets() {
    }

    /**
     * One to a minority of the voters, claimed for {@code owner} in the cluster's {@link FaultBudget};
     * half of the time the current leader is among them, since faults at the leader are the ones
     * that exercise elections, forwarding and unknown outcomes. A fault never takes a majority of
     * the voters, counting what other nemeses hold at the same time: the cluster must stay able to
     * make progress, or a run would measure nothing but waiting. Empty if nothing can be spared.
     */
    static List<ServerProcess> minority(LocalCluster cluster, Random random, String owner) {
        cluster.membership(); // refreshes lastVoters() if a leader answers
        List<String> current = cluster.lastVoters();
        Set<String> down = cluster.down();
        Set<String> unavailable = new HashSet<>(cluster.budget().claimed());
        unavailable.addAll(down);
        int room = FaultBudget.room(current, unavailable);
        if (room == 0) {
            return List.of();
        }
        int count = 1 + random.nextInt(room);
        List<ServerProcess> candidates = new ArrayList<>();
        for (ServerProcess member : cluster.members()) {
            if (current.contains(member.id()) && !unavailable.contains(member.id())) {
                candidates.add(member);
            }
        }
        List<ServerProcess> chosen = new ArrayList<>();
        if (random.nextBoolean()) {
            Optional<ServerProcess> leader = cluster.leader();
            leader.filter(candidates::contains).ifPresent(chosen::add);
            leader.ifPresent(candidates::remove);
        }
        Collections.shuffle(candidates, random);
        for (ServerProcess server : candidates) {
            if (chosen.size() >= count) {
                break;
            }
            chosen.add(server);
        }
        Set<String> ids = new LinkedHashSet<>();
        chosen.forEach(s -> ids.add(s.id()));
        return cluster.budget().tryClaim(owner, ids, current, down) ? chosen : List.of();
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

    /** The ids of {@code servers}. */
    static Set<String> ids(List<ServerProcess> servers) {
        Set<String> ids = new LinkedHashSet<>();
        servers.forEach(s -> ids.add(s.id()));
        return ids;
    }
}
