package io.raftkv.verify.check;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The list-append rules for one key (the idea of Jepsen's list-append workload, simplified to a
 * single key per op): every read must be a prefix of one total order of the appends, that order
 * must respect real time, and the final read must hold every acknowledged append. See
 * {@link ListAppendChecker} for the rules one by one.
 *
 * <p>Tokens are interned to small ints so that a history of long lists costs an int per token,
 * and the total order is taken to be the longest read: if every read is a prefix of one order,
 * the longest read is that order as far as anyone saw it. Reads that are not a prefix of it are
 * reported and then left out of the real-time rules, whose positions would mean nothing for them.
 */
final class AppendKeyCheck {

    /** A list read that succeeded, with its tokens interned. */
    private record Read(Op op, int[] tokens) {
    }

    private static final Comparator<Read> BY_INVOCATION =
            Comparator.comparingLong((Read r) -> r.op().invokeNanos()).thenComparingLong(r -> r.op().index());

    private final String key;
    private final Findings findings;
    private final Map<String, Integer> ids = new HashMap<>();
    /** The token of every id. */
    private final List<String> tokenOf = new ArrayList<>();
    /** The append of every id, or null for a token that appears in a read but was never appended. */
    private final List<Op> appendOf = new ArrayList<>();
    /** Ids of the acknowledged appends, in completion order. */
    private final List<Integer> acknowledged = new ArrayList<>();
    /** Successful reads, in invocation order. */
    private final List<Read> reads = new ArrayList<>();

    /**
     * @param key      the key
     * @param ops      that key's appends and reads
     * @param findings where problems go
     * @throws IllegalArgumentException if two appends carry the same token (the runner must make
     *                                  them unique, or nothing here holds)
     */
    AppendKeyCheck(String key, List<Op> ops, Findings findings) {
        this.key = key;
        this.findings = findings;
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Op::completeNanos).thenComparingLong(Op::index));
        for (Op op : sorted) {
            if (op.fn() == Fn.APPEND) {
                String token = OpText.token(op.value());
                if (ids.containsKey(token)) {
                    throw new IllegalArgumentException("token \"" + token + "\" appended twice on " + key);
                }
                int id = intern(token, op);
                if (op.ok()) {
                    acknowledged.add(id);
                }
            }
        }
        for (Op op : sorted) {
            if (op.fn() == Fn.READ && op.ok()) {
                reads.add(new Read(op, OpText.tokens(op.result()).stream()
                        .mapToInt(t -> ids.containsKey(t) ? ids.get(t) : intern(t, null)).toArray()));
            }
        }
        reads.sort(BY_INVOCATION);
    }

    /** Applies every rule, reporting to the findings. */
    void check() {
        checkTokens();
        if (!reads.isEmpty()) {
            Read longest = reads.stream().max(Comparator.comparingInt((Read r) -> r.tokens().length)).orElseThrow();
            List<Read> consistent = checkSingleOrder(longest);
            int[] position = positions(longest.tokens());
            checkReadsGrow(consistent);
            checkAcknowledgedAppendsSeen(consistent, position);
            checkNoTokensFromTheFuture(consistent, longest.tokens());
            checkAppendOrder(consistent, position);
        }
        checkFinalReads();
    }

    /** Rules 1 and 2: no duplicates, no token that was never appended or whose append failed. */
    private void checkTokens() {
        int[] seenIn = new int[tokenOf.size()];
        for (int r = 0; r < reads.size(); r++) {
            Read read = reads.get(r);
            boolean duplicate = false;
            for (int id : read.tokens()) {
                if (seenIn[id] == r + 1) {
                    if (!duplicate) {
                        duplicate = true;
                        violation(OpText.describe(read.op()) + " contains \"" + tokenOf.get(id)
                                + "\" more than once", read.op());
                    }
                    continue;
                }
                seenIn[id] = r + 1;
                Op append = appendOf.get(id);
                if (append == null) {
                    violation(OpText.describe(read.op()) + " contains \"" + tokenOf.get(id)
                            + "\", which no append on " + key + " ever sent", read.op());
                } else if (append.outcome() == Outcome.FAIL) {
                    violation(OpText.describe(read.op()) + " contains \"" + tokenOf.get(id) + "\", whose append "
                            + OpText.describe(append) + " failed", read.op(), append);
                }
            }
        }
    }

    /** Rule 3: every read is a prefix of the longest; returns the reads that are. */
    private List<Read> checkSingleOrder(Read longest) {
        int[] order = longest.tokens();
        List<Read> consistent = new ArrayList<>();
        for (Read read : reads) {
            int mismatch = Arrays.mismatch(read.tokens(), 0, read.tokens().length, order, 0, read.tokens().length);
            if (mismatch < 0) {
                consistent.add(read);
            } else {
                violation(OpText.describe(read.op()) + " and " + OpText.describe(longest.op())
                        + " disagree on the order: item " + (mismatch + 1) + " is \""
                        + tokenOf.get(read.tokens()[mismatch]) + "\" in the first and \""
                        + tokenOf.get(order[mismatch]) + "\" in the second", read.op(), longest.op());
            }
        }
        return consistent;
    }

    /** Rule 4: a read completed before another was invoked saw no more than it. */
    private void checkReadsGrow(List<Read> consistent) {
        List<RealTime.Scored> scored = consistent.stream()
                .map(r -> new RealTime.Scored(r.op(), r.tokens().length)).toList();
        RealTime.sweep(scored, scored, (read, earlier) -> {
            if (earlier != null && earlier.score() > read.score()) {
                violation(OpText.describe(read.op()) + " saw " + read.score() + " items, but "
                        + OpText.describe(earlier.op()) + " had already seen " + earlier.score()
                        + " before it was invoked", earlier.op(), read.op());
            }
        });
    }

    /** Rule 4: an append acknowledged before a read was invoked is in the read. */
    private void checkAcknowledgedAppendsSeen(List<Read> consistent, int[] position) {
        List<RealTime.Scored> appends = acknowledged.stream()
                .map(id -> new RealTime.Scored(appendOf.get(id), position[id] < 0 ? Long.MAX_VALUE : position[id]))
                .toList();
        RealTime.sweep(appends, lengths(consistent), (read, append) -> {
            if (append != null && append.score() >= read.score()) {
                violation(OpText.describe(read.op()) + " lacks \"" + OpText.token(append.op().value())
                        + "\", although " + OpText.describe(append.op()) + " was acknowledged before the read"
                        + " was invoked", append.op(), read.op());
            }
        });
    }

    /** Rule 4: a read holds no token whose append was invoked only after the read completed. */
    private void checkNoTokensFromTheFuture(List<Read> consistent, int[] order) {
        int[] latestInvoked = new int[order.length];
        int latest = -1;
        for (int i = 0; i < order.length; i++) {
            Op append = appendOf.get(order[i]);
            if (append != null && (latest < 0 || append.invokeNanos() > appendOf.get(order[latest]).invokeNanos())) {
                latest = i;
            }
            latestInvoked[i] = latest;
        }
        for (Read read : consistent) {
            int length = read.tokens().length;
            int i = length == 0 ? -1 : latestInvoked[length - 1];
            if (i >= 0 && appendOf.get(order[i]).invokeNanos() > read.op().completeNanos()) {
                Op append = appendOf.get(order[i]);
                violation(OpText.describe(read.op()) + " contains \"" + tokenOf.get(order[i]) + "\", although "
                        + OpText.describe(append) + " was invoked only after the read completed", read.op(), append);
            }
        }
    }

    /** Rule 4: an append acknowledged before another was invoked comes first in the order. */
    private void checkAppendOrder(List<Read> consistent, int[] position) {
        List<RealTime.Scored> acknowledgedInOrder = new ArrayList<>();
        for (int id : acknowledged) {
            if (position[id] >= 0) {
                acknowledgedInOrder.add(new RealTime.Scored(appendOf.get(id), position[id]));
            }
        }
        List<RealTime.Scored> allInOrder = new ArrayList<>();
        for (int id = 0; id < position.length; id++) {
            Op append = appendOf.get(id);
            if (position[id] >= 0 && append != null && append.outcome() != Outcome.FAIL) {
                allInOrder.add(new RealTime.Scored(append, position[id]));
            }
        }
        List<Read> byLength = new ArrayList<>(consistent);
        byLength.sort(Comparator.comparingInt((Read r) -> r.tokens().length));
        RealTime.sweep(acknowledgedInOrder, allInOrder, (later, earlier) -> {
            if (earlier != null && earlier.score() > later.score()) {
                Read witness = shortestHolding(byLength, (int) earlier.score());
                violation("\"" + OpText.token(later.op().value()) + "\" comes before \""
                        + OpText.token(earlier.op().value()) + "\" in " + OpText.describe(witness.op())
                        + ", but " + OpText.describe(earlier.op()) + " was acknowledged before "
                        + OpText.describe(later.op()) + " was invoked", earlier.op(), later.op(), witness.op());
            }
        });
    }

    /** Rule 5: the final reads hold every acknowledged append. */
    private void checkFinalReads() {
        List<Read> finals = reads.stream().filter(r -> r.op().isFinal()).toList();
        if (finals.isEmpty()) {
            if (!acknowledged.isEmpty()) {
                findings.inconclusive("key " + key + ": no final read succeeded, so whether its "
                        + acknowledged.size() + " acknowledged appends survived is unknown");
            }
            return;
        }
        boolean[] present = new boolean[tokenOf.size()];
        for (Read read : finals) {
            Arrays.fill(present, false);
            for (int id : read.tokens()) {
                present[id] = true;
            }
            List<Op> lost = acknowledged.stream().filter(id -> !present[id]).map(appendOf::get).toList();
            if (!lost.isEmpty()) {
                String listed = lost.stream().limit(5).map(OpText::describe).collect(Collectors.joining("; "));
                String text = OpText.describe(read.op()) + " lacks " + lost.size() + " acknowledged append(s): "
                        + listed + (lost.size() > 5 ? "; ..." : "");
                violation(text, read.op(), lost.get(0));
            }
        }
    }

    private static Read shortestHolding(List<Read> byLength, int position) {
        int low = 0;
        int high = byLength.size() - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (byLength.get(middle).tokens().length > position) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return byLength.get(low);
    }

    private static List<RealTime.Scored> lengths(List<Read> reads) {
        return reads.stream().map(r -> new RealTime.Scored(r.op(), r.tokens().length)).toList();
    }

    private int[] positions(int[] order) {
        int[] position = new int[tokenOf.size()];
        Arrays.fill(position, -1);
        for (int i = order.length - 1; i >= 0; i--) {
            position[order[i]] = i;
        }
        return position;
    }

    private int intern(String token, Op append) {
        int id = tokenOf.size();
        ids.put(token, id);
        tokenOf.add(token);
        appendOf.add(append);
        return id;
    }

    private void violation(String problem, Op... evidence) {
        findings.violation("key " + key + ": " + problem, evidence);
    }
}
