package io.raftkv.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters behind {@link WalStats}. Only the writer thread increments them; anyone may
 * read them.
 */
final class WalCounters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong entries = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong fsyncs = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();
    final AtomicLong segmentsCreated = new AtomicLong();
    final AtomicLong segmentsDeleted = new AtomicLong();
    volatile boolean failed;

    WalStats snapshot() {
        return new WalStats(requests.get(), entries.get(), batches.get(), fsyncs.get(), bytesWritten.get(),
                segmentsCreated.get(), segmentsDeleted.get(), failed);
    }

    /** A syncer that counts into {@link #fsyncs}. */
    Syncer counting(Syncer delegate) {
        return new Syncer() {
            @Override
            public void syncFile(FileChannel channel) throws IOException {
                delegate.syncFile(channel);
                fsyncs.incrementAndGet();
            }

            @Override
            public void syncDirectory(Path directory) throws IOException {
                delegate.syncDirectory(directory);
                fsyncs.incrementAndGet();
            }
        };
    }
}
