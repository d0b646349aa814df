package io.raftkv.lincheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A named sub-history that can be checked independently of the others. By the
 * P-compositionality result of Horn &amp; Kroening (FORTE 2015) a history of a map-like object is
 * linearizable iff the sub-history of every key is; Porcupine calls this partitioning.
 *
 * @param name       human-readable name used in reports, e.g. {@code key=x}
 * @param operations the operations of this partition
 */
public record Partition(String name, List<Operation> operations) {

    /** Copies the operation list. */
    public Partition {
        Objects.requireNonNull(name, "name");
        operations = List.copyOf(operations);
    }

    /**
     * Splits a history into partitions by a key, in order of each key's first appearance.
     *
     * @param history operations to split
     * @param name    maps an operation to its partition name; equal names share a partition
     * @return the partitions
     */
    public static List<Partition> groupBy(List<Operation> history,
                                          Function<? super Operation, String> name) {
        Map<String, List<Operation>> groups = new LinkedHashMap<>();
        for (Operation op : history) {
            groups.computeIfAbsent(name.apply(op), k -> new ArrayList<>()).add(op);
        }
        List<Partition> result = new ArrayList<>(groups.size());
        groups.forEach((k, ops) -> result.add(new Partition(k, ops)));
        return result;
    }
}
