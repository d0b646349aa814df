package io.raftkv.lincheck;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The call and return events of one partition, in time order, as a doubly linked list over int
 * arrays from which a call and its matching return can be removed ("lifted") and restored
 * ("unlifted") in O(1), in the manner of Knuth's dancing links. This is the event list of
 * Wing &amp; Gong (1993) and Lowe (2017).
 *
 * <p>Ordering: events are sorted by time; at equal times calls come before returns, so that two
 * operations whose intervals touch ({@code a.returnTime == b.callTime}) are concurrent. Returns of
 * unknown operations have time {@link Long#MAX_VALUE} and therefore come after all other events.
 *
 * <p>Entries are numbered {@code 1..2n}; {@code 0} is the head sentinel and {@code 2n+1} the tail.
 */
final class EventList {

    static final int HEAD = 0;

    private final int tail;
    private final int[] next;
    private final int[] prev;
    /** Entry -> operation index. */
    private final int[] op;
    /** Call entry -> its return entry; 0 for return entries. */
    private final int[] match;

    EventList(Operation[] ops) {
        int n = ops.length;
        tail = 2 * n + 1;
        next = new int[2 * n + 2];
        prev = new int[2 * n + 2];
        op = new int[2 * n + 2];
        match = new int[2 * n + 2];

        // Event e in 0..2n-1: operation e/2, a call if e is even.
        Integer[] order = new Integer[2 * n];
        for (int e = 0; e < 2 * n; e++) {
            order[e] = e;
        }
        Comparator<Integer> byTime = Comparator
                .<Integer>comparingLong(e -> time(ops, e))
                .thenComparingInt(e -> e & 1) // calls (0) before returns (1) at equal times
                .thenComparingInt(e -> e >> 1);
        Arrays.sort(order, byTime);

        int[] callEntry = new int[n];
        int last = HEAD;
        for (int i = 0; i < order.length; i++) {
            int entry = i + 1;
            int e = order[i];
            int opIndex = e >> 1;
            op[entry] = opIndex;
            if ((e & 1) == 0) {
                callEntry[opIndex] = entry;
            } else {
                match[callEntry[opIndex]] = entry;
            }
            next[last] = entry;
            prev[entry] = last;
            last = entry;
        }
        next[last] = tail;
        prev[tail] = last;
    }

    private static long time(Operation[] ops, int event) {
        Operation o = ops[event >> 1];
        return (event & 1) == 0 ? o.callTime() : o.returnTime();
    }

    int first() {
        return next[HEAD];
    }

    int next(int entry) {
        return next[entry];
    }

    boolean isTail(int entry) {
        return entry == tail;
    }

    boolean isCall(int entry) {
        return match[entry] != 0;
    }

    int op(int entry) {
        return op[entry];
    }

    /** Removes a call entry and its matching return from the list. */
    void lift(int call) {
        unlink(call);
        unlink(match[call]);
    }

    /** Restores a call entry lifted most recently (LIFO order with {@link #lift}). */
    void unlift(int call) {
        relink(match[call]);
        relink(call);
    }

    private void unlink(int e) {
        next[prev[e]] = next[e];
        prev[next[e]] = prev[e];
    }

    private void relink(int e) {
        next[prev[e]] = e;
        prev[next[e]] = e;
    }
}
