package io.raftkv.verify.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

    /**
     * Parses one flat JSON object (RFC 8259) whose values are strings, numbers, booleans or null,
     * which is all the writer produces. Integers become {@link Long}, other numbers {@link Double}.
     */
    private static final class JsonObjectParser {

        private final String text;
        private int position;

        private JsonObjectParser(String text) {
            this.text = text;
        }

        static Map<String, Object> parse(String text) {
            JsonObjectParser parser = new JsonObjectParser(text);
            Map<String, Object> object = parser.object();
            parser.skipWhitespace();
            if (parser.position != text.length()) {
                throw parser.error("unexpected characters after the object");
            }
            return object;
        }

        private Map<String, Object> object() {
            Map<String, Object> object = new LinkedHashMap<>();
            skipWhitespace();
            expect('{');
            skipWhitespace();
            if (peek() == '}') {
                position++;
                return object;
            }
            while (true) {
                skipWhitespace();
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                if (object.containsKey(name)) {
                    throw error("duplicate field \"" + name + "\"");
                }
                object.put(name, value());
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    return object;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            if (text.startsWith("true", position)) {
                position += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", position)) {
                position += 5;
                return Boolean.FALSE;
            }
            if (text.startsWith("null", position)) {
                position += 4;
                return null;
            }
            throw error(c == '{' || c == '[' ? "nested values are not supported" : "expected a value");
        }

        private String string() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return value.toString();
                }
                if (c < 0x20) {
                    throw error("unescaped control character in a string");
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                char escape = next();
                switch (escape) {
                    case '"', '\\', '/' -> value.append(escape);
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> value.append(hex());
                    default -> throw error("bad escape \\" + escape);
                }
            }
        }

        private char hex() {
            if (position + 4 > text.length()) {
                throw error("truncated \\u escape");
            }
            try {
                char c = (char) Integer.parseInt(text.substring(position, position + 4), 16);
                position += 4;
                return c;
            } catch (NumberFormatException e) {
                throw error("bad \\u escape");
            }
        }

        private Object number() {
            int start = position;
            boolean integral = true;
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == '.' || c == 'e' || c == 'E') {
                    integral = false;
                } else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) {
                    break;
                }
                position++;
            }
            String literal = text.substring(start, position);
            try {
                if (integral) {
                    return Long.parseLong(literal);
                }
                return Double.parseDouble(literal);
            } catch (NumberFormatException e) {
                throw error("bad number " + literal);
            }
        }

        private void skipWhitespace() {
            while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
        }

        private char peek() {
            if (position >= text.length()) {
                throw error("unexpected end of line");
            }
            return text.charAt(position);
        }

        private char next() {
            char c = peek();
            position++;
            return c;
        }

        private void expect(char expected) {
            if (next() != expected) {
                position--;
                throw error("expected '" + expected + "'");
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(message + " at column " + (position + 1));
        }
    }
}
