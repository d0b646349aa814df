package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import java.util.Random;

/** A kind of fault the verifier injects into a running cluster, one at a time. */
public interface Nemesis {
    /** Its name on the command line: {@code kill}, {@code pause} or {@code partition}. */
    String name();

    /** Injects one fault of this kind, chosen with {@code random}, and returns how to heal it. */
    Fault inject(LocalCluster cluster, Random random) throws Exception;

    /**
     * The nemeses named by a comma-separated list; {@code all} means every kind.
     *
     * @throws IllegalArgumentException for an unknown name or an empty list
     */
    static java.util.List<Nemesis> parse(String names) {
        java.util.Map<String, Nemesis> chosen = new java.util.LinkedHashMap<>();
        for (String raw : names.split(",")) {
            String name = raw.trim();
            switch (name) {
                case "kill" -> chosen.put(name, ProcessNemesis.kill());
                case "pause" -> chosen.put(name, ProcessNemesis.pause());
                case "partition" -> chosen.put(name, new PartitionNemesis());
                case "all" -> {
                    chosen.put("kill", ProcessNemesis.kill());
                    chosen.put("pause", ProcessNemesis.pause());
                    chosen.put("partition", new PartitionNemesis());
                }
                case "none" -> { }
                default -> throw new IllegalArgumentException(
                        "unknown nemesis '" + name + "' (kill, pause, partition, all, none)");
            }
        }
        if (chosen.isEmpty() && !names.trim().equals("none")) {
            throw new IllegalArgumentException("no nemesis named in '" + names + "'");
        }
        return java.util.List.copyOf(chosen.values());
    }
}
