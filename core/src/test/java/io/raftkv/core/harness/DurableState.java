package io.raftkv.core.harness;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.HardState;
import io.raftkv.core.InitialState;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.LogEntry;
import io.raftkv.core.Ready;
import io.raftkv.core.SnapshotChunk;
import io.raftkv.core.SnapshotMetadata;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulated stable storage of one server: what survives a crash. A {@link Ready} changes it
 * only when the harness "persists" that Ready (step 2 of the contract in {@link Ready}'s Javadoc).
 *
 * <p>It holds the hard state, the log entries after the durable snapshot (paper §7), the durable
 * snapshot itself, and the snapshot file being received from a leader (chunks of
 * {@link Ready#snapshotChunks()}; a chunk at offset 0 starts a new file, every other chunk must
 * continue the file exactly where it ends). A crash discards the file being received, as a real
 * driver discards its temporary file.
 */
public final class DurableState {
    private HardState hardState;
    /** Stored entries; the first one has index {@code logOffset + 1}. */
    private final List<LogEntry> log = new ArrayList<>();
    /** Index of the entry just before the first stored one: what the durable snapshot covers, or 0. */
    private long logOffset;
    private SnapshotMetadata snapshotMetadata;
    private byte[] snapshotData;
    /** The snapshot file being received; null when none. */
    private SnapshotMetadata receivingMetadata;
    private long receivingTotalBytes;
    private ByteArrayOutputStream receiving;
    private boolean receivingDone;

    public DurableState(HardState hardState, List<LogEntry> log) {
        this.hardState = hardState;
        this.log.addAll(log);
    }

    /**
     * Makes the Ready's hard state, entries and snapshot chunks durable; entries replace the stored
     * suffix from the first one's index.
     */
    public void persist(Ready ready) {
        if (ready.hardState() != null) {
            hardState = ready.hardState();
        }
        List<LogEntry> entries = ready.entriesToPersist();
        if (!entries.isEmpty()) {
            long first = entries.get(0).index();
            if (first <= logOffset || first > lastIndex() + 1) {
                throw new AssertionError("Ready " + ready.sequence() + " persists from index " + first
                        + " but the stored log holds (" + logOffset + ", " + lastIndex() + "]");
            }
            while (lastIndex() >= first) {
                log.remove(log.size() - 1);
            }
            log.addAll(entries);
        }
        for (SnapshotChunk chunk : ready.snapshotChunks()) {
            persistChunk(ready, chunk);
        }
    }

    private void persistChunk(Ready ready, SnapshotChunk chunk) {
        if (chunk.offset() == 0) {
            receivingMetadata = chunk.metadata();
            receivingTotalBytes = chunk.totalBytes();
            receiving = new ByteArrayOutputStream();
            receivingDone = false;
        } else if (receiving == null || !chunk.metadata().equals(receivingMetadata)
                || chunk.totalBytes() != receivingTotalBytes || chunk.offset() != receiving.size() || receivingDone) {
            throw new AssertionError("Ready " + ready.sequence() + " hands out chunk at " + chunk.offset() + " of "
                    + chunk.metadata() + " but the file being received is " + receivingMetadata + " with "
                    + (receiving == null ? "no" : receiving.size()) + " bytes" + (receivingDone ? ", complete" : ""));
        }
        receiving.writeBytes(chunk.data());
        if (receiving.size() > receivingTotalBytes) {
            throw new AssertionError("received " + receiving.size() + " bytes of a " + receivingTotalBytes + "-byte snapshot");
        }
        if (chunk.done()) {
            if (receiving.size() != receivingTotalBytes) {
                throw new AssertionError("done chunk, but only " + receiving.size() + " of " + receivingTotalBytes
                        + " bytes received");
            }
            receivingDone = true;
        }
    }

    /**
     * Installs the completely received snapshot (paper Figure 13, steps 5-7): it becomes the
     * durable snapshot, and the stored log keeps only the entries after it, and only if it holds
     * the snapshot's last entry with its term; otherwise the whole log goes. Returns the file.
     */
    public byte[] installReceived(SnapshotMetadata metadata) {
        if (receiving == null || !receivingDone || !metadata.equals(receivingMetadata)) {
            throw new AssertionError("install of " + metadata + " but the received file is " + receivingMetadata
                    + (receivingDone ? "" : " (incomplete)"));
        }
        byte[] data = receiving.toByteArray();
        receiving = null;
        receivingMetadata = null;
        receivingDone = false;
        long index = metadata.lastIncludedIndex();
        LogEntry atIndex = entry(index);
        boolean continues = atIndex != null && atIndex.term() == metadata.lastIncludedTerm();
        snapshotMetadata = metadata;
        snapshotData = data;
        if (continues) {
            log.subList(0, (int) (index - logOffset)).clear();
        } else {
            log.clear();
        }
        logOffset = index;
        return data;
    }

    /** A snapshot the server took of its own state machine is durable (written, then renamed). */
    public void saveSnapshot(SnapshotMetadata metadata, byte[] data) {
        if (snapshotMetadata != null && metadata.lastIncludedIndex() < snapshotMetadata.lastIncludedIndex()) {
            throw new AssertionError("snapshot " + metadata + " older than the durable " + snapshotMetadata);
        }
        snapshotMetadata = metadata;
        snapshotData = data.clone();
    }

    /** Deletes the stored entries up through {@code index}, which the durable snapshot must cover. */
    public void compactTo(long index) {
        if (snapshotMetadata == null || index > snapshotMetadata.lastIncludedIndex()) {
            throw new AssertionError("compaction to " + index + " not covered by the durable snapshot " + snapshotMetadata);
        }
        if (index <= logOffset) {
            return;
        }
        log.subList(0, (int) Math.min(index - logOffset, log.size())).clear();
        logOffset = index;
    }

    /** A crash loses the snapshot file being received (a temporary file). */
    void discardReceiving() {
        receiving = null;
        receivingMetadata = null;
        receivingDone = false;
    }

    public HardState hardState() {
        return hardState;
    }

    /** The stored entries (those after the durable snapshot). */
    public List<LogEntry> log() {
        return List.copyOf(log);
    }

    /** The stored entry at {@code index}, or null if it is not stored. */
    public LogEntry entry(long index) {
        return index <= logOffset || index > lastIndex() ? null : log.get((int) (index - logOffset - 1));
    }

    /** Index of the last stored entry, or of the durable snapshot's last entry if none is stored. */
    public long lastIndex() {
        return logOffset + log.size();
    }

    /** Index of the entry just before the first stored one. */
    public long logOffset() {
        return logOffset;
    }

    /** The durable snapshot's metadata, or null. */
    public SnapshotMetadata snapshotMetadata() {
        return snapshotMetadata;
    }

    /** The durable snapshot's bytes, or null. */
    public byte[] snapshotData() {
        return snapshotData == null ? null : snapshotData.clone();
    }

    /** Bytes of the snapshot file being received, or -1 if none is being received. */
    public long receivingBytes() {
        return receiving == null ? -1 : receiving.size();
    }

    /** What a restarted core starts from. */
    public InitialState toInitialState(ClusterConfig bootstrap) {
        LocalSnapshot snapshot = snapshotMetadata == null ? null : localSnapshot(snapshotMetadata, snapshotData);
        return new InitialState(bootstrap, snapshot, hardState, log);
    }

    /** A snapshot registered with a core, read from {@code data} (which it owns). */
    public static LocalSnapshot localSnapshot(SnapshotMetadata metadata, byte[] data) {
        byte[] file = data.clone();
        return new LocalSnapshot(metadata, file.length,
                (offset, maxBytes) -> Arrays.copyOfRange(file, (int) offset, (int) Math.min(file.length, offset + maxBytes)));
    }
}
