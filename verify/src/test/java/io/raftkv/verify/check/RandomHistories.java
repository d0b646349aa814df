package io.raftkv.verify.check;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Histories of a correct system: concurrent clients whose ops take effect atomically at a random
 * point inside their interval (OK), never (FAIL), or at a random time after their invocation,
 * possibly long after the client gave up, or never (UNKNOWN). Results come from applying the ops
 * in the order of those points to a sequential register, list or counter, so every history is
 * linearizable by construction. Every key ends with a final read after everything took effect.
 */
final class RandomHistories {

    private static final long MICROS = 1_000;

    /** An op before its index and results are known. */
    private static final class Draft {
        int process;
        Fn fn;
        String key;
        String value;
        Outcome outcome;
        String result;
        long invoke;
        long complete;
        long takesEffect = -1;
        boolean isFinal;
    }

    private RandomHistories() {
    }

    static List<Op> generate(Workload workload, long seed, int processes, int count, int keys) {
        Random random = new Random(seed);
        List<Draft> drafts = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            long clock = random.nextInt(1000) * MICROS;
            for (int i = 0; i < count / processes; i++) {
                Draft d = new Draft();
                d.process = p;
                boolean update = random.nextBoolean();
                d.fn = !update ? Fn.READ : switch (workload) {
                    case REGISTER -> Fn.WRITE;
                    case APPEND -> Fn.APPEND;
                    case COUNTER -> Fn.INCR;
                };
                d.key = workload.label().charAt(0) + Integer.toString(random.nextInt(keys));
                String unique = "p" + p + "-" + i;
                d.value = d.fn == Fn.WRITE ? unique : d.fn == Fn.APPEND ? unique + Op.APPEND_SEPARATOR : null;
                d.invoke = clock + random.nextInt(500) * MICROS;
                long latency = random.nextInt(10) == 0 ? (3000 + random.nextInt(47_000)) * MICROS
                        : (100 + random.nextInt(2900)) * MICROS;
                d.complete = d.invoke + latency;
                int dice = random.nextInt(100);
                d.outcome = dice < 90 ? Outcome.OK : dice < 95 ? Outcome.FAIL : Outcome.UNKNOWN;
                if (d.outcome == Outcome.OK) {
                    d.takesEffect = d.invoke + (long) (random.nextDouble() * latency);
                } else if (d.outcome == Outcome.UNKNOWN && random.nextBoolean()) {
                    d.takesEffect = d.invoke + random.nextInt(100_000) * MICROS;
                }
                drafts.add(d);
                clock = d.complete + random.nextInt(200) * MICROS;
            }
        }
        long end = drafts.stream().mapToLong(d -> Math.max(d.complete, d.takesEffect)).max().orElse(0) + 1000 * MICROS;
        for (int k = 0; k < keys; k++) {
            Draft d = new Draft();
            d.process = processes + k;
            d.fn = Fn.READ;
            d.key = workload.label().charAt(0) + Integer.toString(k);
            d.outcome = Outcome.OK;
            d.invoke = end;
            d.complete = end + 1000 * MICROS;
            d.takesEffect = end + 500 * MICROS;
            d.isFinal = true;
            drafts.add(d);
        }
        apply(workload, drafts);
        drafts.sort(Comparator.comparingLong((Draft d) -> d.complete));
        List<Op> ops = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            ops.add(new Op(ops.size(), d.process, "n" + (d.process % 5 + 1), workload, d.fn, d.key, d.value,
                    d.outcome, d.outcome == Outcome.OK ? d.result : null, d.invoke, d.complete,
                    d.outcome == Outcome.OK ? null : "timeout", d.isFinal));
        }
        return ops;
    }

    /** Runs the ops that take effect, in order, on the sequential object, filling in results. */
    private static void apply(Workload workload, List<Draft> drafts) {
        List<Draft> effective = new ArrayList<>(drafts.stream().filter(d -> d.takesEffect >= 0).toList());
        effective.sort(Comparator.comparingLong((Draft d) -> d.takesEffect));
        Map<String, String> registers = new HashMap<>();
        Map<String, StringBuilder> lists = new HashMap<>();
        Map<String, Long> counters = new HashMap<>();
        for (Draft d : effective) {
            switch (d.fn) {
                case WRITE -> registers.put(d.key, d.value);
                case APPEND -> lists.computeIfAbsent(d.key, k -> new StringBuilder()).append(d.value);
                case INCR -> d.result = Long.toString(counters.merge(d.key, 1L, Long::sum));
                case READ -> d.result = switch (workload) {
                    case REGISTER -> registers.get(d.key);
                    case APPEND -> lists.containsKey(d.key) ? lists.get(d.key).toString() : null;
                    case COUNTER -> counters.containsKey(d.key) ? Long.toString(counters.get(d.key)) : null;
                };
            }
        }
    }
}
