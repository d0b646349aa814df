package io.raftkv.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory log of one core and the indexes that describe how far each part of it has
 * travelled (paper Figure 2: {@code log[]}, {@code commitIndex}, {@code lastApplied}).
 *
 * <p>Invariants, checked by {@link #checkInvariants()}:
 * {@code appliedIndex <= appliedHandedOutIndex <= commitIndex <= lastIndex},
 * {@code persistedIndex <= handedOutIndex <= lastIndex},
 * {@code appliedHandedOutIndex <= handedOutIndex} (an entry is applied only after it is durable here),
 * and terms never decrease along the log.
 *
 * <p>Only the core mutates it, from its single thread.
 */
final class RaftLog implements LogView {
    /** Entries from {@link #firstIndex()} on; {@code entries.get(0).index() == offsetIndex + 1}. */
    private final ArrayList<LogEntry> entries = new ArrayList<>();
    /** Index of the entry just before the first held one: the last index a snapshot covers, or 0. */
    private long offsetIndex;
    /** Term of the entry at {@link #offsetIndex} (0 if none). */
    private long offsetTerm;

    /** Highest index known to be committed (paper Figure 2). */
    private long commitIndex;
    /** Highest index durable on this server whose entries equal the in-memory ones. */
    private long persistedIndex;
    /** Highest index handed to the driver for persistence in some Ready (durable once that Ready is). */
    private long handedOutIndex;
    /** Highest committed index handed to the driver for applying. */
    private long appliedHandedOutIndex;
    /** Highest index the driver reported applied ({@code lastApplied}, paper Figure 2). */
    private long appliedIndex;
    /** Count of suffix deletions, exposed to invariant checkers. */
    private long truncations;

    /**
     * A log recovered from storage: entries follow the snapshot (or start at 1 without one), and the
     * snapshot's entries count as committed, persisted and applied.
     */
    RaftLog(SnapshotMetadata snapshot, List<LogEntry> recovered, long recoveredCommitIndex) {
        if (snapshot != null) {
            offsetIndex = snapshot.lastIncludedIndex();
            offsetTerm = snapshot.lastIncludedTerm();
        }
        entries.addAll(recovered);
        if (!entries.isEmpty() && entries.get(0).index() != offsetIndex + 1) {
            throw new IllegalArgumentException("recovered log starts at " + entries.get(0).index()
                    + " but the snapshot ends at " + offsetIndex);
        }
        persistedIndex = lastIndex();
        handedOutIndex = lastIndex();
        commitIndex = Math.max(recoveredCommitIndex, offsetIndex);
        appliedHandedOutIndex = offsetIndex;
        appliedIndex = offsetIndex;
    }

    @Override
    public long firstIndex() {
        return offsetIndex + 1;
    }

    @Override
    public long lastIndex() {
        return offsetIndex + entries.size();
    }

    long lastTerm() {
        return entries.isEmpty() ? offsetTerm : entries.get(entries.size() - 1).term();
    }

    /** The last index a snapshot covers (entries up to it are gone), or 0. */
    long snapshotIndex() {
        return offsetIndex;
    }

    @Override
    public long term(long index) {
        if (index == offsetIndex) {
            return offsetTerm;
        }
        return entry(index).term();
    }

    /** Term at {@code index}, or -1 when the index is beyond the log. Not for compacted indexes. */
    long termOrMissing(long index) {
        return index > lastIndex() ? -1 : term(index);
    }

    /**
     * Discards the entries up through {@code index}, which a durable snapshot covers (paper §7).
     * Only applied entries may go.
     */
    void compactTo(long index) {
        if (index <= offsetIndex) {
            return;
        }
        if (index > appliedIndex) {
            throw new IllegalStateException("cannot compact to " + index + " beyond applied index " + appliedIndex);
        }
        long term = term(index);
        entries.subList(0, (int) (index - offsetIndex)).clear();
        offsetIndex = index;
        offsetTerm = term;
    }

    /**
     * Replaces the log's prefix with an installed snapshot (paper Figure 13, steps 6-7): if the log
     * holds the snapshot's last entry, the entries after it stay; otherwise the whole log goes.
     */
    void restoreSnapshot(SnapshotMetadata snapshot) {
        long index = snapshot.lastIncludedIndex();
        if (index <= lastIndex() && index > offsetIndex && term(index) == snapshot.lastIncludedTerm()) {
            entries.subList(0, (int) (index - offsetIndex)).clear();
        } else {
            if (!entries.isEmpty()) {
                truncations++;
            }
            entries.clear();
        }
        offsetIndex = index;
        offsetTerm = snapshot.lastIncludedTerm();
        commitIndex = Math.max(commitIndex, index);
        persistedIndex = Math.max(persistedIndex, index);
        handedOutIndex = Math.max(handedOutIndex, index);
        appliedHandedOutIndex = Math.max(appliedHandedOutIndex, index);
        appliedIndex = Math.max(appliedIndex, index);
        persistedIndex = Math.min(persistedIndex, lastIndex());
        handedOutIndex = Math.min(handedOutIndex, lastIndex());
    }

    @Override
    public long snapshotTerm() {
        return offsetTerm;
    }

    @Override
    public LogEntry entry(long index) {
        if (index <= offsetIndex || index > lastIndex()) {
            throw new IndexOutOfBoundsException("index " + index + " outside log [" + firstIndex() + ", "
                    + lastIndex() + "]");
        }
        return entries.get((int) (index - offsetIndex - 1));
    }

    @Override
    public List<LogEntry> entries(long from, long toInclusive) {
        if (from > toInclusive) {
            return List.of();
        }
        entry(from);
        entry(toInclusive);
        return new ArrayList<>(entries.subList((int) (from - offsetIndex - 1), (int) (toInclusive - offsetIndex)));
    }

    /**
     * Entries from {@code from} on, at most {@code maxCount} of them and, beyond the first, at most
     * {@code maxBytes} in total: a single entry larger than the limit is still sent alone, so it
     * cannot stall replication.
     */
    List<LogEntry> slice(long from, int maxCount, long maxBytes) {
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i <= lastIndex() && out.size() < maxCount; i++) {
            LogEntry e = entry(i);
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /**
     * True if the log holds an entry at {@code index} with {@code term} (paper §5.3 consistency check).
     * Indexes a snapshot covers match: they were committed, and committed entries are the same on
     * every server.
     */
    boolean matches(long index, long term) {
        if (index < offsetIndex) {
            return true;
        }
        return index <= lastIndex() && term(index) == term;
    }

    /**
     * True if a log ending at ({@code lastIndex}, {@code lastTerm}) is at least as up-to-date as
     * this one (paper §5.4.1).
     */
    boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
        return otherLastTerm > lastTerm() || (otherLastTerm == lastTerm() && otherLastIndex >= lastIndex());
    }

    void append(LogEntry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalStateException("append of " + entry + " after last index " + lastIndex());
        }
        if (entry.term() < lastTerm()) {
            throw new IllegalStateException("append of " + entry + " with a term below the last term " + lastTerm());
        }
        entries.add(entry);
    }

    /**
     * Deletes the entry at {@code index} and all that follow (paper §5.3: "if an existing entry
     * conflicts with a new one, delete the existing entry and all that follow it"). A committed
     * entry is never deleted: that would break State Machine Safety.
     */
    void truncateFrom(long index) {
        if (index <= commitIndex) {
            throw new IllegalStateException("refusing to delete committed entry " + index + " (commitIndex "
                    + commitIndex + ")");
        }
        if (index > lastIndex()) {
            return;
        }
        entries.subList((int) (index - offsetIndex - 1), entries.size()).clear();
        truncations++;
        persistedIndex = Math.min(persistedIndex, index - 1);
        handedOutIndex = Math.min(handedOutIndex, index - 1);
    }

    /** Raises commitIndex; it never moves back (paper Figure 2). */
    void commitTo(long index) {
        if (index > lastIndex()) {
            throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex());
        }
        if (index > commitIndex) {
            commitIndex = index;
        }
    }

    /** Entries not yet handed to the driver for persistence; marks them handed out. */
    List<LogEntry> takeUnpersisted() {
        if (handedOutIndex >= lastIndex()) {
            return List.of();
        }
        List<LogEntry> out = entries(handedOutIndex + 1, lastIndex());
        handedOutIndex = lastIndex();
        return out;
    }

    boolean hasUnpersisted() {
        return handedOutIndex < lastIndex();
    }

    /**
     * Committed entries that can be handed out for applying: they must also be handed out for
     * persistence, so that the driver, which persists a Ready before applying it, applies only
     * entries durable on this server.
     */
    List<LogEntry> takeCommittedToApply() {
        long to = Math.min(commitIndex, handedOutIndex);
        if (to <= appliedHandedOutIndex) {
            return List.of();
        }
        List<LogEntry> out = entries(appliedHandedOutIndex + 1, to);
        appliedHandedOutIndex = to;
        return out;
    }

    boolean hasCommittedToApply() {
        return Math.min(commitIndex, handedOutIndex) > appliedHandedOutIndex;
    }

    /** The driver made entries up to ({@code index}, {@code term}) durable. */
    void persistedTo(long index, long term) {
        // A later Ready may have replaced this suffix; then only the matching part counts, and
        // Log Matching (§5.3) makes an equal term at `index` imply an equal prefix.
        if (index > persistedIndex && index <= handedOutIndex && termOrMissing(index) == term) {
            persistedIndex = index;
        }
    }

    void appliedTo(long index) {
        if (index > appliedHandedOutIndex) {
            throw new IllegalStateException("applied " + index + " beyond what was handed out " + appliedHandedOutIndex);
        }
        if (index > appliedIndex) {
            appliedIndex = index;
        }
    }

    @Override
    public long commitIndex() {
        return commitIndex;
    }

    @Override
    public long persistedIndex() {
        return persistedIndex;
    }

    long handedOutIndex() {
        return handedOutIndex;
    }

    @Override
    public long appliedIndex() {
        return appliedIndex;
    }

    @Override
    public long truncations() {
        return truncations;
    }

    /**
     * The first index of the run of entries with the same term as {@code index}, not going below
     * {@code floor}; used for the conflict hint (paper §5.3).
     */
    long firstIndexOfTermAt(long index, long floor) {
        long term = term(index);
        long i = index;
        while (i - 1 >= Math.max(floor, firstIndex()) && term(i - 1) == term) {
            i--;
        }
        return i;
    }

    /** The last index at or below {@code from} whose term is at most {@code term}; 0 if none. */
    long lastIndexWithTermAtMost(long from, long term) {
        long i = Math.min(from, lastIndex());
        while (i > offsetIndex && term(i) > term) {
            i--;
        }
        return i;
    }

    void checkInvariants() {
        if (!(appliedIndex <= appliedHandedOutIndex && appliedHandedOutIndex <= commitIndex
                && commitIndex <= lastIndex() && persistedIndex <= handedOutIndex && handedOutIndex <= lastIndex()
                && appliedHandedOutIndex <= handedOutIndex)) {
            throw new IllegalStateException("log indexes out of order: " + this);
        }
    }

    @Override
    public String toString() {
        return "RaftLog[last=" + lastIndex() + "@" + lastTerm() + ", commit=" + commitIndex + ", persisted="
                + persistedIndex + ", handedOut=" + handedOutIndex + ", applyHandedOut=" + appliedHandedOutIndex
                + ", applied=" + appliedIndex + "]";
    }
}
