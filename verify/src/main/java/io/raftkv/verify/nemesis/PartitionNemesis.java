package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.ProxyMesh;
import io.raftkv.verify.cluster.ServerProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Network faults between the servers, made by cutting the proxies between them; clients still
 * reach every node. Each fault has one of the shapes below, chosen at random.
 */
public final class PartitionNemesis implements Nemesis {

    /** The shapes of partition. */
    enum Shape {
        /** One random node cut off from all others. */
        ISOLATE_ONE,
        /** The leader cut off: it keeps its clients but cannot reach a quorum. */
        ISOLATE_LEADER,
        /** A random minority against the majority. */
        MAJORITY_MINORITY,
        /**
         * Two halves that cannot talk to each other and one node that talks to both: the bridge
         * can win elections on either side, and a leader on one side is not heard by the other.
         */
        BRIDGE,
        /** One node's messages to everyone are lost while it still hears them, or the reverse. */
        ONE_WAY
    }

    @Override
    public String name() {
        return "partition";
    }

    @Override
    public Fault inject(LocalCluster cluster, Random random) {
        Shape shape = Shape.values()[random.nextInt(Shape.values().length)];
        return inject(cluster, random, shape);
    }

    Fault inject(LocalCluster cluster, Random random, Shape shape) {
        ProxyMesh mesh = cluster.mesh();
        Optional<ServerProcess> leader = cluster.leader();
        List<String> ids = new ArrayList<>();
        cluster.servers().forEach(s -> ids.add(s.id()));
        Collections.shuffle(ids, random);
        String description;
        switch (shape) {
            case ISOLATE_ONE, ISOLATE_LEADER -> {
                String alone = shape == Shape.ISOLATE_LEADER && leader.isPresent() ? leader.get().id() : ids.get(0);
                Set<String> rest = new LinkedHashSet<>(ids);
                rest.remove(alone);
                mesh.partition(List.of(Set.of(alone), rest));
                description = "isolate " + label(alone, leader) + " | " + String.join(" ", sorted(rest));
            }
            case MAJORITY_MINORITY -> {
                int minoritySize = 1 + random.nextInt((ids.size() - 1) / 2);
                Set<String> minority = new LinkedHashSet<>(ids.subList(0, minoritySize));
                Set<String> majority = new LinkedHashSet<>(ids.subList(minoritySize, ids.size()));
                mesh.partition(List.of(minority, majority));
                description = "minority " + labels(minority, leader) + " | majority " + labels(majority, leader);
            }
            case BRIDGE -> {
                String bridge = ids.get(0);
                List<String> others = ids.subList(1, ids.size());
                Set<String> left = new LinkedHashSet<>(others.subList(0, others.size() / 2));
                Set<String> right = new LinkedHashSet<>(others.subList(others.size() / 2, others.size()));
                mesh.partition(List.of(left, right));
                description = "bridge " + label(bridge, leader) + " between " + labels(left, leader) + " | "
                        + labels(right, leader);
            }
            case ONE_WAY -> {
                String node = random.nextBoolean() && leader.isPresent() ? leader.get().id() : ids.get(0);
                boolean outbound = random.nextBoolean();
                for (String other : ids) {
                    if (!other.equals(node)) {
                        if (outbound) {
                            mesh.cut(node, other);
                        } else {
                            mesh.cut(other, node);
                        }
                    }
                }
                description = outbound ? "one-way: " + label(node, leader) + " cannot send, still hears the others"
                        : "one-way: " + label(node, leader) + " hears nobody, still sends to the others";
            }
            default -> throw new IllegalStateException("unknown shape " + shape);
        }
        String text = description;
        return new Fault() {
            @Override
            public String description() {
                return text;
            }

            @Override
            public void heal() {
                mesh.healAll();
            }
        };
    }

    private static List<String> sorted(Set<String> ids) {
        return ids.stream().sorted().collect(Collectors.toList());
    }

    private static String labels(Set<String> ids, Optional<ServerProcess> leader) {
        return sorted(ids).stream().map(id -> label(id, leader)).collect(Collectors.joining(" "));
    }

    private static String label(String id, Optional<ServerProcess> leader) {
        return leader.isPresent() && leader.get().id().equals(id) ? id + " (leader)" : id;
    }
}
