package io.raftkv.storage.wal;

import static io.raftkv.storage.wal.WalTestSupport.assertHolds;
import static io.raftkv.storage.wal.WalTestSupport.await;
import static io.raftkv.storage.wal.WalTestSupport.entries;
import static io.raftkv.storage.wal.WalTestSupport.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An fsync error is fatal (etcd's storage contract, LESSONS.md "persist before you act"). */
class FailStopTest {
    @TempDir
    Path dir;

    /** Fails every file sync once armed, as a disk that reports EIO would. */
    private static final class FailingSyncer implements Syncer {
        final AtomicBoolean failing = new AtomicBoolean();

        @Override
        public void syncFile(FileChannel channel) throws IOException {
            if (failing.get()) {
                throw new IOException("injected fsync failure (EIO)");
            }
            Syncer.DEFAULT.syncFile(channel);
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            if (failing.get()) {
                throw new IOException("injected directory fsync failure");
            }
            Syncer.DEFAULT.syncDirectory(directory);
        }
    }

    @Test
    void afterAFailedFsyncEveryWriteFailsAndNothingIsAcknowledged() throws Exception {
        FailingSyncer syncer = new FailingSyncer();
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10), syncer)) {
            await(log.persist(new HardState(1, null, 0), entries(1, 10, 1)));
            syncer.failing.set(true);
            CompletableFuture<Void> failed = log.append(entries(11, 20, 1));
            assertThatThrownBy(() -> failed.get(WalTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WalFailedException.class)
                    .hasRootCauseMessage("injected fsync failure (EIO)");
            syncer.failing.set(false); // a later success must not make the log usable again
            CompletableFuture<Long> later = log.append(1, EntryType.NORMAL, new byte[] {1});
            assertThatThrownBy(() -> later.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(WalFailedException.class);
            assertThatThrownBy(() -> log.persist(new HardState(2, null, 0), List.of()).get(1, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(WalFailedException.class);
            assertThatThrownBy(() -> log.compactPrefix(5).get(1, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(WalFailedException.class);
            assertThat(log.stats().failed()).isTrue();
            assertThat(log.lastIndex()).as("a failed batch is never published to readers").isEqualTo(10);
            assertThat(log.hardState()).isEqualTo(new HardState(1, null, 0));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            // The failed batch reached the page cache, so it may or may not be there; what was acknowledged is.
            assertThat(log.lastIndex()).isIn(10L, 20L);
            assertHolds(log, entries(1, log.lastIndex(), 1));
        }
    }

    @Test
    void requestsQueuedBehindAFailedBatchFailToo() throws Exception {
        FailingSyncer syncer = new FailingSyncer();
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10), syncer)) {
            syncer.failing.set(true);
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(log.append(1, EntryType.NORMAL, new byte[10]));
            }
            for (CompletableFuture<Long> future : futures) {
                assertThatThrownBy(() -> future.get(WalTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(WalFailedException.class);
            }
        }
    }

    @Test
    void aFailureWhileRollingIsFatalToo() throws Exception {
        FailingSyncer syncer = new FailingSyncer();
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10), syncer)) {
            await(log.append(entries(1, 30, 1)));
            syncer.failing.set(true);
            CompletableFuture<Void> rolling = log.append(entries(31, 60, 1));
            assertThatThrownBy(() -> rolling.get(WalTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(WalFailedException.class);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            assertThat(log.lastIndex()).isBetween(30L, 60L);
            assertHolds(log, entries(1, log.lastIndex(), 1));
        }
    }
}
