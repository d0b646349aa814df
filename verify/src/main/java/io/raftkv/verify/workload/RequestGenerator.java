package io.raftkv.verify.workload;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Chooses each client's next operation: a workload among the enabled ones, then a read or an
 * update of one of its active keys. Written values and appended tokens are unique in the run
 * ({@code p<process>-<n>}), which is what lets the checkers tell which write a read saw.
 */
public final class RequestGenerator {
    /** The counter workload's single key: every increment contends on it. */
    public static final String COUNTER_KEY = "c/0";

    private final List<Workload> workloads;
    private final KeySpace registers = new KeySpace("r/", 5, 400);
    private final KeySpace lists = new KeySpace("l/", 5, 300);

    public RequestGenerator(Set<Workload> workloads) {
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("no workload");
        }
        this.workloads = workloads.stream().sorted().toList();
    }

    /**
     * The next request of a client.
     *
     * @param random   the client's own random source
     * @param uniqueId a value no other request of the run uses, e.g. {@code p3-17}
     */
    public Request next(Random random, String uniqueId) {
        Workload workload = workloads.get(random.nextInt(workloads.size()));
        boolean read = random.nextInt(100) < (workload == Workload.COUNTER ? 30 : 50);
        return switch (workload) {
            case REGISTER -> new Request(workload, read ? Fn.READ : Fn.WRITE, registers.next(random), read ? null : uniqueId);
            case APPEND -> new Request(workload, read ? Fn.READ : Fn.APPEND, lists.next(random),
                    read ? null : uniqueId + Op.APPEND_SEPARATOR);
            case COUNTER -> new Request(workload, read ? Fn.READ : Fn.INCR, COUNTER_KEY, null);
        };
    }
}
