package io.raftkv.node;

import io.raftkv.core.HardState;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.LogEntry;
import io.raftkv.core.Ready;
import io.raftkv.core.SnapshotChunk;
import io.raftkv.core.SnapshotChunkReader;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.storage.snapshot.ChunkResult;
import io.raftkv.storage.snapshot.SnapshotFile;
import io.raftkv.storage.snapshot.SnapshotReader;
import io.raftkv.storage.snapshot.SnapshotReceiver;
import io.raftkv.storage.snapshot.SnapshotStore;
import io.raftkv.storage.snapshot.SnapshotTransfer;
import io.raftkv.storage.snapshot.SnapshotWriter;
import io.raftkv.storage.wal.SegmentedLog;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's durable state in its data directory: {@code wal/} (the segmented write-ahead log with
 * the hard state, group commit) and {@code snapshots/} (snapshot files and the one being received).
 *
 * <p>Ordering: the WAL completes persists in submission order. Snapshot chunks of a Ready are
 * written on a single storage thread after that Ready's WAL batch is durable, so a Ready counts as
 * durable only when both are.
 */
final class DiskStorage implements NodeStorage {
    private static final Logger log = LoggerFactory.getLogger(DiskStorage.class);

    private final SegmentedLog wal;
    private final SnapshotStore snapshots;
    private final ExecutorService chunkWriter;
    /** The transfer the chunks being received belong to; touched only on the chunk writer thread. */
    private SnapshotReceiver receiver;

    private DiskStorage(SegmentedLog wal, SnapshotStore snapshots, String nodeId) {
        this.wal = wal;
        this.snapshots = snapshots;
        this.chunkWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raft-snapshot-io-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    static DiskStorage open(Path dataDirectory, String nodeId) throws IOException {
        Files.createDirectories(dataDirectory);
        SegmentedLog wal = SegmentedLog.open(dataDirectory.resolve("wal"));
        try {
            return new DiskStorage(wal, SnapshotStore.open(dataDirectory.resolve("snapshots")), nodeId);
        } catch (IOException | RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    @Override
    public Recovered recover() throws IOException {
        Optional<SnapshotFile> latest = snapshots.latest();
        LocalSnapshot local = latest.map(DiskStorage::localSnapshot).orElse(null);
        if (local != null) {
            dropLogNotContinuing(local.metadata());
        }
        long first = wal.firstIndex();
        long last = wal.lastIndex();
        List<LogEntry> entries = last >= first ? wal.read(first, last) : List.of();
        return new Recovered(local, wal.hardState(), entries);
    }

    /**
     * After a crash between the two steps of installing a snapshot, the log may still hold entries
     * that do not continue it (paper Figure 13, step 7): drop them on disk too.
     */
    private void dropLogNotContinuing(SnapshotMetadata snapshot) throws IOException {
        long index = snapshot.lastIncludedIndex();
        boolean continues = wal.firstIndex() == index + 1
                || (index >= wal.firstIndex() && index <= wal.lastIndex() && wal.term(index) == snapshot.lastIncludedTerm());
        try {
            if (!continues && wal.lastIndex() >= wal.firstIndex()) {
                log.info("log in {} does not continue snapshot {}@{}: dropping it", wal.directory(), index,
                        snapshot.lastIncludedTerm());
                wal.truncateSuffix(Math.max(wal.firstIndex(), 1)).join();
            }
            if (wal.firstIndex() <= index) {
                wal.compactPrefix(index).join();
            }
        } catch (java.util.concurrent.CompletionException e) {
            throw new IOException("resetting the log to snapshot " + index + " failed", e.getCause());
        }
    }

    @Override
    public CompletableFuture<Void> persist(Ready ready) {
        CompletableFuture<Void> walWrite = ready.hardState() != null || !ready.entriesToPersist().isEmpty()
                ? wal.persist(ready.hardState(), ready.entriesToPersist())
                : CompletableFuture.completedFuture(null);
        if (ready.snapshotChunks().isEmpty()) {
            return walWrite;
        }
        List<SnapshotChunk> chunks = ready.snapshotChunks();
        return walWrite.thenRunAsync(() -> writeChunks(chunks), chunkWriter);
    }

    private void writeChunks(List<SnapshotChunk> chunks) {
        try {
            for (SnapshotChunk chunk : chunks) {
                if (chunk.offset() == 0 || receiver == null) {
                    SnapshotMetadata m = chunk.metadata();
                    receiver = snapshots.receive(new SnapshotTransfer(m.lastIncludedTerm(), m.lastIncludedIndex(), m.lastIncludedTerm(),
                            chunk.totalBytes()));
                }
                ChunkResult result = receiver.accept(chunk.offset(), chunk.data(), chunk.done());
                if (result instanceof ChunkResult.Rejected rejected) {
                    throw new IOException("snapshot chunk at " + chunk.offset() + " rejected: " + rejected);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public LocalSnapshot install(SnapshotMetadata metadata) throws IOException {
        SnapshotFile file = snapshots.latest()
                .filter(f -> f.metadata().lastIncludedIndex() == metadata.lastIncludedIndex()
                        && f.metadata().lastIncludedTerm() == metadata.lastIncludedTerm())
                .orElseThrow(() -> new IOException("received snapshot " + metadata.lastIncludedIndex() + "@"
                        + metadata.lastIncludedTerm() + " is not the newest durable snapshot"));
        dropLogNotContinuing(metadata);
        return localSnapshot(file);
    }

    @Override
    public InputStream openSnapshotData(SnapshotMetadata metadata) throws IOException {
        SnapshotFile file = snapshots.latest()
                .filter(f -> f.metadata().lastIncludedIndex() == metadata.lastIncludedIndex())
                .orElseThrow(() -> new IOException("no snapshot at " + metadata.lastIncludedIndex()));
        SnapshotReader reader = file.openReader();
        return new FilterInputStream(reader.data()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    reader.close();
                }
            }
        };
    }

    @Override
    public LocalSnapshot saveSnapshot(SnapshotMetadata metadata, StateMachine.Snapshot view) throws IOException {
        try (SnapshotWriter writer = snapshots.begin(metadata)) {
            OutputStream out = writer.output();
            view.writeTo(out);
            out.flush();
            return localSnapshot(writer.commit());
        }
    }

    @Override
    public CompletableFuture<Void> compact(long index) {
        return wal.compactPrefix(index);
    }

    /** Reads chunks with a positional read per call; the core restarts a transfer if the file was retired. */
    private static LocalSnapshot localSnapshot(SnapshotFile file) {
        SnapshotChunkReader reader = (offset, maxBytes) -> {
            try {
                return file.readChunk(offset, maxBytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return new LocalSnapshot(file.metadata(), file.sizeBytes(), reader);
    }

    @Override
    public void close() throws IOException {
        chunkWriter.shutdownNow();
        try {
            wal.close();
        } finally {
            snapshots.close();
        }
    }
}
