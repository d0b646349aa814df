package io.raftkv.verify.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a history file written by {@link HistoryWriter}, for checking a run again or after it was
 * interrupted.
 *
 * <p>An invocation with no completion (the run was killed, or the process never got an answer)
 * becomes an UNKNOWN op that completes at the last time recorded anywhere in the file, with error
 * {@value #NO_COMPLETION}, and an index after every recorded one: it may have taken effect, and
 * the checkers must allow for it. Unknown fields are ignored, so that later writers can add some.
 */
public final class HistoryReader {

    /** The error of an op whose invocation was recorded but whose completion was not. */
    public static final String NO_COMPLETION = "no completion recorded";

    /**
     * A history as read from a file.
     *
     * @param ops    the ops, completed ones in file order, then the never-completed ones
     * @param faults the faults, in file order
     */
    public record History(List<Op> ops, List<FaultInterval> faults) {
        /** Copies the lists. */
        public History {
            ops = List.copyOf(ops);
            faults = List.copyOf(faults);
        }
    }

    /** An invocation waiting for its completion. */
    private record Invocation(int process, String node, Workload workload, Fn fn, String key, String value,
                              long invokeNanos) {
    }

    private HistoryReader() {
    }

    /**
     * Reads a history.
     *
     * @param file the file
     * @return its ops and faults
     * @throws IOException if it cannot be read, or a line is malformed (the message names the line)
     */
    public static History read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        List<FaultInterval> faults = new ArrayList<>();
        Map<Integer, Invocation> pending = new HashMap<>();
        List<Invocation> orphans = new ArrayList<>();
        long lastNanos = 0;
        long nextIndex = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Fields fields = new Fields(JsonObjectParser.parse(line));
                    String type = fields.string("type");
                    switch (type) {
                        case "invoke" -> {
                            Invocation invocation = invocation(fields);
                            Invocation previous = pending.put(invocation.process(), invocation);
                            if (previous != null) {
                                orphans.add(previous);
                            }
                            lastNanos = Math.max(lastNanos, invocation.invokeNanos());
                        }
                        case "ok", "fail", "unknown" -> {
                            Op op = op(fields, Outcome.valueOf(type.toUpperCase(Locale.ROOT)));
                            Invocation invocation = pending.get(op.process());
                            if (invocation != null && invocation.invokeNanos() == op.invokeNanos()) {
                                pending.remove(op.process());
                            }
                            ops.add(op);
                            nextIndex = Math.max(nextIndex, op.index() + 1);
                            lastNanos = Math.max(lastNanos, op.completeNanos());
                        }
                        case "fault" -> {
                            FaultInterval fault = new FaultInterval(fields.requiredString("nemesis"),
                                    fields.requiredString("description"), fields.number("start_ns"),
                                    fields.number("end_ns"));
                            faults.add(fault);
                            lastNanos = Math.max(lastNanos, fault.endNanos());
                        }
                        default -> throw new IllegalArgumentException("unknown type \"" + type + "\"");
                    }
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        orphans.addAll(pending.values());
        orphans.sort((a, b) -> Long.compare(a.invokeNanos(), b.invokeNanos()));
        for (Invocation i : orphans) {
            ops.add(new Op(nextIndex++, i.process(), i.node(), i.workload(), i.fn(), i.key(), i.value(),
                    Outcome.UNKNOWN, null, i.invokeNanos(), Math.max(lastNanos, i.invokeNanos()), NO_COMPLETION,
                    false));
        }
        return new History(ops, faults);
    }

    private static Invocation invocation(Fields fields) {
        return new Invocation((int) fields.number("process"), fields.requiredString("node"),
                Workload.ofLabel(fields.requiredString("workload")), fn(fields), fields.requiredString("key"),
                fields.string("value"), fields.number("invoke_ns"));
    }

    private static Op op(Fields fields, Outcome outcome) {
        return new Op(fields.number("index"), (int) fields.number("process"), fields.requiredString("node"),
                Workload.ofLabel(fields.requiredString("workload")), fn(fields), fields.requiredString("key"),
                fields.string("value"), outcome, fields.string("result"), fields.number("invoke_ns"),
                fields.number("complete_ns"), fields.string("error"), fields.bool("final"));
    }

    private static Fn fn(Fields fields) {
        String fn = fields.requiredString("fn");
        try {
            return Fn.valueOf(fn.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fn \"" + fn + "\"", e);
        }
    }

    /** Typed access to one line's fields, naming the field when one is missing or of the wrong type. */
    private record Fields(Map<String, Object> values) {

        String string(String name) {
            Object value = require(name);
            if (value != null && !(value instanceof String)) {
                throw new IllegalArgumentException("\"" + name + "\" is not a string: " + value);
            }
            return (String) value;
        }

        String requiredString(String name) {
            String value = string(name);
            if (value == null) {
                throw new IllegalArgumentException("\"" + name + "\" is null");
            }
            return value;
        }

        long number(String name) {
            if (require(name) instanceof Long value) {
                return value;
            }
            throw new IllegalArgumentException("\"" + name + "\" is not an integer: " + values.get(name));
        }

        boolean bool(String name) {
            if (require(name) instanceof Boolean value) {
                return value;
            }
            throw new IllegalArgumentException("\"" + name + "\" is not a boolean: " + values.get(name));
        }

        private Object require(String name) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("missing \"" + name + "\"");
            }
            return values.get(name);
        }
    }
}
