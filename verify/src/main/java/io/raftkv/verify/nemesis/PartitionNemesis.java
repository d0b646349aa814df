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
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Network faults between the members, made by cutting the proxies between them; clients still
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

    /**
     * Cuts the links for {@code shape} among the members, claiming the nodes it cuts off in the
     * cluster's fault budget; falls back to isolating one node if the faults already running leave
     * too few voters for that, and injects nothing (null) if they leave none.
     */
    Fault inject(LocalCluster cluster, Random random, Shape shape) {
        ProxyMesh mesh = cluster.mesh();
        Optional<ServerProcess> leader = cluster.leader();
        cluster.membership(); // refreshes lastVoters() if a leader answers
        List<String> voters = cluster.lastVoters();
        Set<String> down = cluster.down();
        List<String> ids = new ArrayList<>();
        cluster.members().forEach(s -> ids.add(s.id()));
        if (ids.size() < 2) {
            return null;
        }
        Collections.shuffle(ids, random);
        Cut cut = plan(shape, ids, leader, random);
        if (!cluster.budget().tryClaim(name(), cut.cutOff(), voters, down)) {
            cut = plan(Shape.ISOLATE_ONE, ids, leader, random);
            if (!cluster.budget().tryClaim(name(), cut.cutOff(), voters, down)) {
                return null;
            }
        }
        cut.apply().accept(mesh);
        Set<String> claimed = cut.cutOff();
        String text = cut.description();
        return new Fault() {
            @Override
            public String description() {
                return text;
            }

            @Override
            public void heal() {
                mesh.healAll();
                cluster.budget().release(claimed);
            }
        };
    }

    /**
     * A partition to make: what to cut, and the nodes it cuts off from the majority (the ones
     * that count against the fault budget).
     */
    private record Cut(String description, Set<String> cutOff, Consumer<ProxyMesh> apply) {}

    private static Cut plan(Shape shape, List<String> ids, Optional<ServerProcess> leader, Random random) {
        switch (shape) {
            case ISOLATE_ONE, ISOLATE_LEADER -> {
                String alone = shape == Shape.ISOLATE_LEADER && leader.isPresent() && ids.contains(leader.get().id())
                        ? leader.get().id() : ids.get(0);
                Set<String> rest = new LinkedHashSet<>(ids);
                rest.remove(alone);
                return new Cut("isolate " + label(alone, leader) + " | " + String.join(" ", sorted(rest)), Set.of(alone),
                        mesh -> mesh.partition(List.of(Set.of(alone), rest)));
            }
            case MAJORITY_MINORITY -> {
                int minoritySize = 1 + random.nextInt(Math.max(1, (ids.size() - 1) / 2));
                Set<String> minority = new LinkedHashSet<>(ids.subList(0, minoritySize));
                Set<String> majority = new LinkedHashSet<>(ids.subList(minoritySize, ids.size()));
                return new Cut("minority " + labels(minority, leader) + " | majority " + labels(majority, leader),
                        minority, mesh -> mesh.partition(List.of(minority, majority)));
            }
            case BRIDGE -> {
                String bridge = ids.get(0);
                List<String> others = ids.subList(1, ids.size());
                Set<String> left = new LinkedHashSet<>(others.subList(0, others.size() / 2));
                Set<String> right = new LinkedHashSet<>(others.subList(others.size() / 2, others.size()));
                // The bridge and the larger half can still form a majority; the smaller half is cut off.
                return new Cut("bridge " + label(bridge, leader) + " between " + labels(left, leader) + " | "
                        + labels(right, leader), left, mesh -> mesh.partition(List.of(left, right)));
            }
            case ONE_WAY -> {
                String node = random.nextBoolean() && leader.isPresent() && ids.contains(leader.get().id())
                        ? leader.get().id() : ids.get(0);
                boolean outbound = random.nextBoolean();
                String description = outbound ? "one-way: " + label(node, leader) + " cannot send, still hears the others"
                        : "one-way: " + label(node, leader) + " hears nobody, still sends to the others";
                return new Cut(description, Set.of(node), mesh -> {
                    for (String other : ids) {
                        if (!other.equals(node)) {
                            if (outbound) {
                                mesh.cut(node, other);
                            } else {
                                mesh.cut(other, node);
                            }
                        }
                    }
                });
            }
            default -> throw new IllegalStateException("unknown shape " + shape);
        }
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
