package io.raftkv.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The read operations of the store over one immutable version of its state. A server calls
 * {@link KvStateMachine#readView()} after its read barrier (ReadIndex, lease or none) has completed,
 * so the view is at least as new as the barrier requires; reads never go through the log.
 * Every method is safe from any thread and sees the same version, so multi-key reads are atomic.
 *
 * <h2>SCAN cursors</h2>
 * A cursor is the position in the 32-bit hash space where the next page starts (0 = start, and 0
 * again = finished). Keys are visited in hash order, so a key present for the whole scan is
 * returned exactly once and a key added or removed meanwhile at most once. The hash is fixed, so a
 * cursor means the same on every replica.
 */
public final class KvReadView {

    /** The largest cursor value: positions are unsigned 32-bit hashes. */
    public static final long CURSOR_MAX = 0xffff_ffffL;

    private final KvState state;

    KvReadView(KvState state) {
        this.state = state;
    }

    /** Log index of the last command this view includes. */
    public long appliedIndex() {
        return state.lastAppliedIndex();
    }

    /** The value of {@code key}. */
    public Optional<Bytes> get(Bytes key) {
        return Optional.ofNullable(state.data().get(key));
    }

    /** The values of {@code keys}, in order; empty for missing keys. */
    public List<Optional<Bytes>> multiGet(List<Bytes> keys) {
        List<Optional<Bytes>> values = new ArrayList<>(keys.size());
        for (Bytes key : keys) {
            values.add(get(key));
        }
        return values;
    }

    /** How many of {@code keys} exist, counting a repeated key each time (as Redis does). */
    public long countExisting(List<Bytes> keys) {
        long count = 0;
        for (Bytes key : keys) {
            if (state.data().containsKey(key)) {
                count++;
            }
        }
        return count;
    }

    /** The length of {@code key}'s value, 0 if absent. */
    public long valueLength(Bytes key) {
        Bytes value = state.data().get(key);
        return value == null ? 0 : value.length();
    }

    /** Every key matching {@code pattern}, in hash order. O(keys): meant for small stores and debugging. */
    public List<Bytes> keys(GlobPattern pattern) {
        List<Bytes> matches = new ArrayList<>();
        state.data().forEach((key, value) -> {
            if (pattern.matches(key)) {
                matches.add(key);
            }
        });
        return matches;
    }

    /**
     * One page of keys from {@code cursor}: examines about {@code count} keys and returns those
     * matching {@code pattern}.
     *
     * @param cursor 0 to start, else a cursor from the previous page; 0..{@link #CURSOR_MAX}
     * @param count  how many keys to examine, &gt;= 1
     */
    public ScanPage scan(long cursor, GlobPattern pattern, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        List<Bytes> matches = new ArrayList<>();
        long next = state.data().scan(cursor, count, (key, value) -> {
            if (pattern.matches(key)) {
                matches.add(key);
            }
        });
        return new ScanPage(next, matches);
    }

    /** The number of keys. */
    public long size() {
        return state.data().size();
    }
}
