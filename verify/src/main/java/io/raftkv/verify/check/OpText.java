package io.raftkv.verify.check;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Short renderings of ops, shared by the checkers' problem texts and the report's timeline, so
 * that an op reads the same in both: {@code W r3 "p2-17"}, {@code R r3 -> "p1-9"},
 * {@code A l1 "p0-4"}, {@code I c0 -> 5}.
 */
public final class OpText {

    /** Longer register values are cut, so that one huge value cannot swamp a line. */
    private static final int MAX_VALUE_CHARS = 40;
    /** List reads longer than this show their first and last tokens only. */
    private static final int MAX_LIST_TOKENS = 4;

    private OpText() {
    }

    /**
     * The op's function, key and value or result, e.g. {@code R r3 -> "p1-9"}; an unknown or
     * failed read shows {@code -> ?}.
     *
     * @param op the op
     * @return the label
     */
    public static String label(Op op) {
        String head = letter(op.fn()) + " " + op.key();
        return switch (op.fn()) {
            case WRITE -> head + " " + quote(op.value());
            case APPEND -> head + " " + quote(token(op.value()));
            case INCR, READ -> op.ok() ? head + " -> " + result(op) : head + " -> ?";
        };
    }

    /**
     * The op with everything a reader needs to find it in the history, e.g.
     * {@code #17 p2@n1 W r3 "p2-17" [12.3, 15.0 ms] unknown}.
     *
     * @param op the op
     * @return the description
     */
    public static String describe(Op op) {
        String outcome = op.outcome() == Outcome.OK ? "ok" : op.outcome().name().toLowerCase(Locale.ROOT);
        return "#" + op.index() + " p" + op.process() + "@" + op.node() + " " + label(op)
                + " [" + millis(op.invokeNanos()) + ", " + millis(op.completeNanos()) + " ms] " + outcome
                + (op.isFinal() ? " (final)" : "");
    }

    /**
     * Nanoseconds as milliseconds with one decimal.
     *
     * @param nanos a time or duration
     * @return e.g. {@code 1203.4}
     */
    public static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /**
     * An appended value without its trailing {@link Op#APPEND_SEPARATOR}s: the token as it
     * appears when a list read is split.
     *
     * @param value the appended value
     * @return the token
     */
    public static String token(String value) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == Op.APPEND_SEPARATOR) {
            end--;
        }
        return value.substring(0, end);
    }

    /**
     * Splits a list read into its tokens, ignoring empty pieces; a missing key (null) is the
     * empty list.
     *
     * @param list the value read
     * @return the tokens, in order
     */
    public static List<String> tokens(String list) {
        if (list == null) {
            return List.of();
        }
        ArrayList<String> tokens = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            if (i == list.length() || list.charAt(i) == Op.APPEND_SEPARATOR) {
                if (i > start) {
                    tokens.add(list.substring(start, i));
                }
                start = i + 1;
            }
        }
        return tokens;
    }

    private static String result(Op op) {
        if (op.fn() == Fn.INCR || op.workload() == Workload.COUNTER) {
            return op.result() == null ? "nil" : op.result();
        }
        if (op.workload() == Workload.APPEND) {
            List<String> tokens = tokens(op.result());
            if (tokens.size() <= MAX_LIST_TOKENS) {
                return quote(String.join(" ", tokens));
            }
            return "\"" + tokens.get(0) + " " + tokens.get(1) + " … " + tokens.get(tokens.size() - 2) + " "
                    + tokens.get(tokens.size() - 1) + "\" (" + tokens.size() + ")";
        }
        return op.result() == null ? "nil" : quote(op.result());
    }

    private static String quote(String value) {
        String cut = value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "…";
        return "\"" + cut + "\"";
    }

    private static String letter(Fn fn) {
        return switch (fn) {
            case READ -> "R";
            case WRITE -> "W";
            case APPEND -> "A";
            case INCR -> "I";
        };
    }
}
