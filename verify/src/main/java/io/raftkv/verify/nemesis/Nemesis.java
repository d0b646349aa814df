package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A kind of fault the verifier injects into a running cluster. */
public interface Nemesis {
    /** Its name on the command line: {@code kill}, {@code pause}, {@code partition} or {@code membership}. */
    String name();

    /**
     * Injects one fault of this kind, chosen with {@code random}, and returns how to heal it; or
     * null if none can be injected now (the faults already running leave no node to spare), in
     * which case the schedule tries again after its next quiet period.
     */
    Fault inject(LocalCluster cluster, Random random) throws Exception;

    /**
     * Whether it runs on a schedule of its own, alongside the faults of the other nemeses, rather
     * than taking turns with them.
     */
    default boolean ownSchedule() {
        return false;
    }

    /**
     * The nemeses named by a comma-separated list; {@code all} means every kind.
     *
     * @throws IllegalArgumentException for an unknown name or an empty list
     */
    static List<Nemesis> parse(String names) {
        Map<String, Nemesis> chosen = new LinkedHashMap<>();
        for (String raw : names.split(",")) {
            String name = raw.trim();
            switch (name) {
                case "kill" -> chosen.put(name, ProcessNemesis.kill());
                case "pause" -> chosen.put(name, ProcessNemesis.pause());
                case "partition" -> chosen.put(name, new PartitionNemesis());
                case "membership" -> chosen.put(name, MembershipNemesis.random());
                case "all" -> {
                    chosen.put("kill", ProcessNemesis.kill());
                    chosen.put("pause", ProcessNemesis.pause());
                    chosen.put("partition", new PartitionNemesis());
                    chosen.put("membership", MembershipNemesis.random());
                }
                case "none" -> { }
                default -> throw new IllegalArgumentException(
                        "unknown nemesis '" + name + "' (kill, pause, partition, membership, all, none)");
            }
        }
        if (chosen.isEmpty() && !names.trim().equals("none")) {
            throw new IllegalArgumentException("no nemesis named in '" + names + "'");
        }
        return List.copyOf(chosen.values());
    }
}
