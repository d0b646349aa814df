package io.raftkv.kv;

import java.util.Arrays;

/**
 * One client session's deduplication state (thesis §6.3): the results of its commands that the
 * client has not acknowledged yet, so a retry gets the original answer instead of a second
 * application. Immutable; every change returns a new session, which makes the session table part
 * of the copy-on-write state that snapshots capture in O(1).
 *
 * <p>Invariants: {@code cachedSequences} is strictly ascending, every element is &gt;=
 * {@code firstOutstandingSequence}, there are at most {@link KvLimits#SESSION_CACHED_RESULTS_MAX},
 * and {@code cachedResults[i]} (encoded {@link KvResult}) belongs to {@code cachedSequences[i]}.
 * Neither array is modified after construction.
 */
final class ClientSession {

    /** The session id, chosen by the server that opened it; never 0. */
    final long id;
    /** Leader time of the last command in this session; it expires {@link KvLimits#SESSION_TIMEOUT_MS} later. */
    final long lastActiveMs;
    /** Every sequence number below this has been acknowledged by the client; its result is gone. */
    final long firstOutstandingSequence;
    private final long[] cachedSequences;
    private final byte[][] cachedResults;

    ClientSession(long id, long lastActiveMs, long firstOutstandingSequence, long[] cachedSequences,
                  byte[][] cachedResults) {
        this.id = id;
        this.lastActiveMs = lastActiveMs;
        this.firstOutstandingSequence = firstOutstandingSequence;
        this.cachedSequences = cachedSequences;
        this.cachedResults = cachedResults;
    }

    /** A new session with nothing cached. */
    static ClientSession opened(long id, long nowMs) {
        return new ClientSession(id, nowMs, 1, new long[0], new byte[0][]);
    }

    /** Whether the session has been idle longer than the timeout at leader time {@code nowMs}. */
    boolean isExpired(long nowMs) {
        return nowMs - lastActiveMs > KvLimits.SESSION_TIMEOUT_MS;
    }

    /** The cached result of {@code sequence}, or null. The array must not be modified. */
    byte[] cachedResult(long sequence) {
        int i = Arrays.binarySearch(cachedSequences, sequence);
        return i >= 0 ? cachedResults[i] : null;
    }

    int cachedCount() {
        return cachedSequences.length;
    }

    long cachedSequence(int i) {
        return cachedSequences[i];
    }

    byte[] cachedResultAt(int i) {
        return cachedResults[i];
    }

    /** This session active at {@code nowMs}, with everything below {@code firstOutstanding} forgotten. */
    ClientSession acknowledged(long firstOutstanding, long nowMs) {
        long newFirst = Math.max(firstOutstandingSequence, firstOutstanding);
        int drop = 0;
        while (drop < cachedSequences.length && cachedSequences[drop] < newFirst) {
            drop++;
        }
        return new ClientSession(id, nowMs, newFirst,
                Arrays.copyOfRange(cachedSequences, drop, cachedSequences.length),
                Arrays.copyOfRange(cachedResults, drop, cachedResults.length));
    }

    /**
     * This session after applying {@code sequence} with {@code result}: acknowledged up to
     * {@code firstOutstanding}, the result cached, and the oldest results dropped (counting as
     * acknowledged) beyond the cap.
     */
    ClientSession withResult(long sequence, long firstOutstanding, byte[] result, long nowMs) {
        ClientSession acked = acknowledged(firstOutstanding, nowMs);
        long[] sequences = acked.cachedSequences;
        byte[][] results = acked.cachedResults;
        int insertAt = -(Arrays.binarySearch(sequences, sequence) + 1);
        if (insertAt < 0) {
            throw new IllegalStateException("sequence " + sequence + " is already cached");
        }
        int drop = sequences.length + 1 > KvLimits.SESSION_CACHED_RESULTS_MAX ? 1 : 0;
        long[] newSequences = new long[sequences.length + 1 - drop];
        byte[][] newResults = new byte[newSequences.length][];
        int target = 0;
        for (int i = 0; i <= sequences.length; i++) {
            long seq;
            byte[] res;
            if (i < insertAt) {
                seq = sequences[i];
                res = results[i];
            } else if (i == insertAt) {
                seq = sequence;
                res = result;
            } else {
                seq = sequences[i - 1];
                res = results[i - 1];
            }
            if (i < drop) {
                continue;
            }
            newSequences[target] = seq;
            newResults[target++] = res;
        }
        long newFirst = drop > 0 ? Math.max(acked.firstOutstandingSequence, newSequences[0])
                : acked.firstOutstandingSequence;
        return new ClientSession(id, nowMs, newFirst, newSequences, newResults);
    }
}
