package io.raftkv.storage.snapshot;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The process {@link SnapshotCrashTest} kills: commits snapshots in a loop, forever, and prints
 * {@code COMMITTED <index> END} after each {@code commit()} (or install) has returned. Every
 * snapshot's term and data follow from its index, so the parent can check any survivor.
 *
 * <p>Usage: {@code SnapshotCrashChild <store-dir> write|install}. In {@code install} mode each
 * snapshot is first written to a sibling "source" store, then sent chunk by chunk through a
 * {@link SnapshotInstaller}, so kills also land in the middle of transfers.
 */
public final class SnapshotCrashChild {
    static final String COMMITTED = "COMMITTED ";
    static final String END = " END";
    private static final int CHUNK_BYTES = 256 * 1024;

    private SnapshotCrashChild() {
    }

    /** Term of the snapshot at {@code index}: a new term every few snapshots. */
    static long termOf(long index) {
        return index / 3 + 1;
    }

    /** Data length of the snapshot at {@code index}: 64 KiB to about 3 MiB, varying with the index. */
    static long dataSizeOf(long index) {
        return 64 * 1024 + (index * 1_000_003L) % (3 * 1024 * 1024);
    }

    public static void main(String[] args) throws IOException {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.WARN); // keep the pipe to the parent quiet
        Path dir = Path.of(args[0]);
        boolean install = args[1].equals("install");
        try (SnapshotStore store = SnapshotStore.open(dir);
             SnapshotStore source = install ? SnapshotStore.open(dir.resolveSibling(dir.getFileName() + "-source")) : null) {
            long index = store.latest().map(f -> f.metadata().lastIncludedIndex() + 1).orElse(1L);
            for (;; index++) {
                if (install) {
                    installFrom(source, store, index);
                } else {
                    Snapshots.commit(store, index, termOf(index), dataSizeOf(index));
                }
                System.out.print(COMMITTED + index + END + "\n");
                System.out.flush();
            }
        }
    }

    private static void installFrom(SnapshotStore source, SnapshotStore target, long index) throws IOException {
        SnapshotFile sent = Snapshots.commit(source, index, termOf(index), dataSizeOf(index));
        SnapshotTransfer transfer = SnapshotTransfer.of(termOf(index) + 1, sent);
        SnapshotInstaller installer = new SnapshotInstaller(target);
        ChunkResult result = null;
        for (long offset = 0; offset < sent.sizeBytes(); offset += CHUNK_BYTES) {
            byte[] data = sent.readChunk(offset, CHUNK_BYTES);
            result = installer.accept(new SnapshotChunk(transfer, offset, data, offset + data.length == sent.sizeBytes()));
        }
        if (!(result instanceof ChunkResult.Installed)) {
            throw new IllegalStateException("transfer of " + index + " ended with " + result);
        }
    }
}
