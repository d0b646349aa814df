package io.raftkv.sim;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.SnapshotChunk;
import io.raftkv.core.SnapshotMetadata;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * What one node has made durable: the hard state, the log (whose prefix a snapshot may replace),
 * the newest snapshot, and the snapshot file being received. Only completed fsyncs reach it, so a
 * crash loses exactly what was not yet synced, as a real disk does; a crash in the middle of a
 * write keeps a prefix of its records (a torn write, whose torn last record recovery discards).
 *
 * <p>Within one write the entries come first, then the hard state, then snapshot chunks (the
 * {@link io.raftkv.core.Ready} contract's order for storage whose writes can tear): a prefix may
 * hold entries whose hard state, with its commit index, is lost, but never a commit index that
 * covers entries the write was replacing. This is stricter than the write-ahead log, whose batches
 * are atomic.
 */
final class SimDisk {
    /** A durable snapshot: what it covers and its bytes. */
    record Snapshot(SnapshotMetadata metadata, byte[] data) {}

    private HardState hardState = HardState.INITIAL;
    /** Durable entries, starting at {@link #firstIndex}. */
    private final List<LogEntry> log = new ArrayList<>();
    private long firstIndex = 1;
    private Snapshot snapshot;
    /** The snapshot file being received: the announced metadata and the bytes so far. */
    private SnapshotMetadata receivingMetadata;
    private ByteArrayOutputStream receiving;
    private long receivingTotal;
    /** The durable log's configuration entries by index (thesis §4.1), to know the durable configuration cheaply. */
    private final TreeMap<Long, ClusterConfig> configEntries = new TreeMap<>();

    /** Applies one synced write: entries replace every stored entry from the first one's index. */
    void persist(HardState newHardState, List<LogEntry> entries, List<SnapshotChunk> chunks) {
        persistHardState(newHardState);
        persistEntries(entries);
        for (SnapshotChunk chunk : chunks) {
            persistChunk(chunk);
        }
    }

    /**
     * A crash in the middle of a write: the first {@code records} of its records reached the disk
     * (entries, then hard state, then chunks), the rest did not.
     */
    void persistPrefix(HardState newHardState, List<LogEntry> entries, List<SnapshotChunk> chunks, int records) {
        int left = records;
        int entryCount = Math.min(left, entries.size());
        persistEntries(entries.subList(0, entryCount));
        left -= entryCount;
        if (newHardState != null) {
            if (left-- <= 0) {
                return;
            }
            persistHardState(newHardState);
        }
        for (int i = 0; i < Math.min(left, chunks.size()); i++) {
            persistChunk(chunks.get(i));
        }
    }

    private void persistHardState(HardState newHardState) {
        if (newHardState == null) {
            return;
        }
        if (newHardState.currentTerm() < hardState.currentTerm()) {
            throw new IllegalStateException("durable term would go back from " + hardState.currentTerm() + " to "
                    + newHardState.currentTerm());
        }
        hardState = newHardState;
    }

    private void persistEntries(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long first = entries.get(0).index();
        if (first > lastIndex() + 1) {
            throw new IllegalStateException("gap in durable log: writing " + first + " after " + lastIndex());
        }
        if (first < firstIndex) {
            throw new IllegalStateException("writing " + first + " below the compacted prefix " + firstIndex);
        }
        while (lastIndex() >= first) {
            log.remove(log.size() - 1);
        }
        configEntries.tailMap(first, true).clear();
        log.addAll(entries);
        for (LogEntry entry : entries) {
            if (entry.type() == EntryType.CONFIG) {
                configEntries.put(entry.index(), ClusterConfig.decode(entry.data()));
            }
        }
    }

    private void persistChunk(SnapshotChunk chunk) {
        if (chunk.offset() == 0) {
            receivingMetadata = chunk.metadata();
            receiving = new ByteArrayOutputStream();
            receivingTotal = chunk.totalBytes();
        }
        if (receiving == null || !chunk.metadata().equals(receivingMetadata) || receiving.size() != chunk.offset()) {
            throw new IllegalStateException("snapshot chunk at " + chunk.offset() + " does not continue the file being"
                    + " received");
        }
        receiving.writeBytes(chunk.data());
    }

    /** A snapshot taken locally became durable (written to a temp file, synced, renamed). */
    void saveSnapshot(SnapshotMetadata metadata, byte[] data) {
        if (snapshot == null || metadata.lastIncludedIndex() > snapshot.metadata().lastIncludedIndex()) {
            snapshot = new Snapshot(metadata, data.clone());
        }
    }

    /**
     * Step one of installing a received snapshot: the completed file becomes the durable snapshot
     * (an atomic rename). Returns its bytes, or throws if the received file is incomplete.
     */
    byte[] promoteReceivedSnapshot(SnapshotMetadata metadata) {
        if (receiving == null || !metadata.equals(receivingMetadata) || receiving.size() != receivingTotal) {
            throw new IllegalStateException("received snapshot " + metadata + " is incomplete: "
                    + (receiving == null ? 0 : receiving.size()) + " of " + receivingTotal + " bytes");
        }
        byte[] data = receiving.toByteArray();
        snapshot = new Snapshot(metadata, data);
        receiving = null;
        receivingMetadata = null;
        return data;
    }

    /**
     * Step two of installing a snapshot: drop the stored entries it covers, and the ones after it
     * too unless the stored entry at its last index has its term (paper Figure 13, steps 6-7).
     */
    void resetLogTo(SnapshotMetadata metadata) {
        long index = metadata.lastIncludedIndex();
        boolean continuesSnapshot = firstIndex == index + 1;
        boolean holdsItsLastEntry = index >= firstIndex && index <= lastIndex()
                && log.get((int) (index - firstIndex)).term() == metadata.lastIncludedTerm();
        boolean keepSuffix = continuesSnapshot || holdsItsLastEntry;
        if (!keepSuffix) {
            log.clear();
            configEntries.clear();
            firstIndex = index + 1;
        } else {
            compactPrefix(index);
        }
    }

    /** Deletes the stored entries up through {@code index} (whole segments, in a real log). */
    void compactPrefix(long index) {
        if (index < firstIndex) {
            return;
        }
        long drop = Math.min(index - firstIndex + 1, log.size());
        log.subList(0, (int) drop).clear();
        configEntries.headMap(index, true).clear();
        firstIndex = index + 1;
    }

    long lastIndex() {
        return firstIndex - 1 + log.size();
    }

    /** Term of the last durable entry, or of the snapshot's last entry if the log holds none. */
    long lastTerm() {
        if (!log.isEmpty()) {
            return log.get(log.size() - 1).term();
        }
        return snapshot != null && snapshot.metadata().lastIncludedIndex() == lastIndex()
                ? snapshot.metadata().lastIncludedTerm() : 0;
    }

    /** Term of the durable entry at {@code index}, or -1 if there is none. */
    long termAt(long index) {
        if (snapshot != null && index == snapshot.metadata().lastIncludedIndex()) {
            return snapshot.metadata().lastIncludedTerm();
        }
        return index >= firstIndex && index <= lastIndex() ? log.get((int) (index - firstIndex)).term() : -1;
    }

    /**
     * The configuration a server restarted from this disk would use (thesis §4.1): its log's last
     * configuration entry, else its snapshot's configuration, else {@code bootstrap}. A snapshot
     * covers at least the compacted prefix, so a configuration compacted away is the snapshot's.
     */
    ClusterConfig config(ClusterConfig bootstrap) {
        if (!configEntries.isEmpty()) {
            return configEntries.lastEntry().getValue();
        }
        return snapshot != null ? snapshot.metadata().config() : bootstrap;
    }

    /** Last index the durable snapshot covers, or 0. */
    long snapshotIndex() {
        return snapshot == null ? 0 : snapshot.metadata().lastIncludedIndex();
    }

    HardState hardState() {
        return hardState;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    List<LogEntry> log() {
        return List.copyOf(log);
    }

    /** The bytes of the durable snapshot from {@code offset}, for sending it in chunks. */
    static byte[] chunk(byte[] data, long offset, int maxBytes) {
        int from = (int) offset;
        return Arrays.copyOfRange(data, from, Math.min(data.length, from + maxBytes));
    }
}
