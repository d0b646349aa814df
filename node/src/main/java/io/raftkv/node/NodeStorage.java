package io.raftkv.node;

import io.raftkv.core.HardState;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.LogEntry;
import io.raftkv.core.Ready;
import io.raftkv.core.SnapshotMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the node runtime needs from durable storage: the write-ahead log and the snapshot files
 * (R-DISK-1..4, R-SNAP-1..3). {@link DiskStorage} is the implementation on disk.
 */
interface NodeStorage extends AutoCloseable {

    /** What a restart finds on disk. */
    record Recovered(LocalSnapshot snapshot, HardState hardState, List<LogEntry> entries) {}

    /** Reads the durable state; entries that do not continue the snapshot are dropped from disk too. */
    Recovered recover() throws IOException;

    /**
     * Makes a Ready's hard state, entries and snapshot chunks durable. Futures complete in the order
     * the Readies were submitted; a failure is fatal for the node.
     */
    CompletableFuture<Void> persist(Ready ready);

    /**
     * Installs a received snapshot whose chunks are durable (paper Figure 13): it becomes the newest
     * snapshot and the log entries it covers go, and the ones after it unless the log holds its last
     * entry with its term. Returns the snapshot for reading.
     */
    LocalSnapshot install(SnapshotMetadata metadata) throws IOException;

    /** Opens the data of a durable snapshot for {@link StateMachine#restore}. */
    InputStream openSnapshotData(SnapshotMetadata metadata) throws IOException;

    /** Writes a state machine snapshot durably (temp file, fsync, rename); blocking, on a writer thread. */
    LocalSnapshot saveSnapshot(SnapshotMetadata metadata, StateMachine.Snapshot view) throws IOException;

    /** Deletes log entries up through {@code index}, which a durable snapshot covers. */
    CompletableFuture<Void> compact(long index);

    @Override
    void close() throws IOException;
}
