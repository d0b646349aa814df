package io.raftkv.storage.wal;

import static io.raftkv.storage.wal.WalTestSupport.await;
import static io.raftkv.storage.wal.WalTestSupport.small;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit (R-DISK-3): concurrent appenders share fsyncs, and each acknowledgement is durable. */
class GroupCommitTest {
    private static final int THREADS = 32;
    private static final int APPENDS_PER_THREAD = 150;

    @TempDir
    Path dir;

    @Test
    void concurrentAppendersShareFsyncsAndEveryAcknowledgedEntryIsReadableAfterReopen() throws Exception {
        Map<Long, byte[]> acknowledged = new HashMap<>();
        long fsyncs;
        long batches;
        try (SegmentedLog log = SegmentedLog.open(dir, small(256 << 10))) {
            List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
            List<List<byte[]>> payloads = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<CompletableFuture<Long>> mine = new ArrayList<>();
                List<byte[]> data = new ArrayList<>();
                futures.add(mine);
                payloads.add(data);
                int thread = t;
                threads.add(new Thread(() -> {
                    awaitLatch(start);
                    for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                        byte[] payload = ByteBuffer.allocate(100).putInt(thread).putInt(i).array();
                        data.add(payload);
                        CompletableFuture<Long> future = log.append(1, EntryType.NORMAL, payload);
                        mine.add(future);
                        future.join(); // each appender waits for durability, as a client would
                    }
                }, "appender-" + t));
            }
            threads.forEach(Thread::start);
            start.countDown();
            for (Thread thread : threads) {
                thread.join(WalTestSupport.TIMEOUT_SECONDS * 1000);
                assertThat(thread.isAlive()).isFalse();
            }
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                    acknowledged.put(await(futures.get(t).get(i)), payloads.get(t).get(i));
                }
            }
            fsyncs = log.stats().fsyncs();
            batches = log.stats().batches();
            assertThat(log.stats().entries()).isEqualTo((long) THREADS * APPENDS_PER_THREAD);
        }
        int appends = THREADS * APPENDS_PER_THREAD;
        assertThat(acknowledged).hasSize(appends);
        assertThat(batches).as("batches shared by concurrent appenders").isLessThan(appends / 4);
        assertThat(fsyncs).as("fsyncs").isLessThan(appends / 4);
        try (SegmentedLog log = SegmentedLog.open(dir, small(256 << 10))) {
            assertThat(log.lastIndex()).isEqualTo(appends);
            List<LogEntry> all = log.read(1, appends);
            for (LogEntry entry : all) {
                assertThat(entry.data()).isEqualTo(acknowledged.get(entry.index()));
            }
        }
    }

    @Test
    void aFutureCompletesOnlyAfterTheFsyncThatCoversIt() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        List<Integer> syncsSeenAtCompletion = new ArrayList<>();
        Syncer counting = new Syncer() {
            @Override
            public void syncFile(FileChannel channel) throws IOException {
                Syncer.DEFAULT.syncFile(channel);
                syncs.incrementAndGet();
            }

            @Override
            public void syncDirectory(Path directory) throws IOException {
                Syncer.DEFAULT.syncDirectory(directory);
            }
        };
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10), counting)) {
            int before = syncs.get();
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                CompletableFuture<Void> future = log.append(List.of(WalTestSupport.entry(i, 1, 10)));
                future.thenRun(() -> syncsSeenAtCompletion.add(syncs.get()));
                futures.add(future);
            }
            futures.forEach(WalTestSupport::await);
            assertThat(syncsSeenAtCompletion).hasSize(20).allSatisfy(n -> assertThat(n).isGreaterThan(before));
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
