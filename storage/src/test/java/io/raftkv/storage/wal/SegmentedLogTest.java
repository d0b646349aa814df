package io.raftkv.storage.wal;

import static io.raftkv.storage.wal.WalTestSupport.assertHolds;
import static io.raftkv.storage.wal.WalTestSupport.await;
import static io.raftkv.storage.wal.WalTestSupport.entries;
import static io.raftkv.storage.wal.WalTestSupport.entry;
import static io.raftkv.storage.wal.WalTestSupport.segments;
import static io.raftkv.storage.wal.WalTestSupport.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's contract, one behaviour per test, each across a reopen. */
class SegmentedLogTest {
    @TempDir
    Path dir;

    @Test
    void aNewLogIsEmptyWithTheInitialHardState() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isZero();
            assertThat(log.hardState()).isEqualTo(HardState.INITIAL);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            assertThat(log.lastIndex()).isZero();
        }
    }

    @Test
    void entriesAndHardStateRoundTripAcrossReopen() throws IOException {
        List<LogEntry> written = entries(1, 100, 3);
        HardState state = new HardState(3, NodeId.of("n2"), 60);
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            await(log.persist(state, written));
            assertHolds(log, written);
            assertThat(log.hardState()).isEqualTo(state);
            assertThat(log.entry(50)).isEqualTo(written.get(49));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            assertHolds(log, written);
            assertThat(log.hardState()).isEqualTo(state);
        }
    }

    @Test
    void allEntryTypesAndEmptyAndLargeDataRoundTrip() throws IOException {
        List<LogEntry> written = List.of(new LogEntry(1, 1, EntryType.NO_OP, null),
                new LogEntry(2, 1, EntryType.CONFIG, new byte[] {1, 2}),
                new LogEntry(3, 1, EntryType.NORMAL, WalTestSupport.data(3, 1, 3 << 20)));
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            await(log.append(written));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            assertHolds(log, written);
        }
    }

    @Test
    void appendAssignsConsecutiveIndexes() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            CompletableFuture<Long> first = log.append(1, EntryType.NORMAL, new byte[] {1});
            CompletableFuture<Long> second = log.append(1, EntryType.NORMAL, new byte[] {2});
            assertThat(await(first)).isEqualTo(1);
            assertThat(await(second)).isEqualTo(2);
            assertThat(log.entry(2).data()).containsExactly(2);
        }
    }

    @Test
    void segmentsRollAtTheConfiguredSizeAndReadsSpanThem() throws IOException {
        List<LogEntry> written = entries(1, 600, 1);
        try (SegmentedLog log = SegmentedLog.open(dir, small(8 << 10))) {
            for (int i = 0; i < written.size(); i += 20) {
                await(log.append(written.subList(i, i + 20)));
            }
            assertThat(log.stats().segmentsCreated()).isGreaterThan(5);
            assertThat(log.stats().entries()).isEqualTo(600);
            assertThat(log.stats().batches()).isEqualTo(30);
            long recordBytes = written.stream().mapToLong(e -> RecordCodec.entryFrameBytes(e.data().length)).sum();
            assertThat(log.stats().bytesWritten()).isEqualTo(recordBytes + 30L * RecordCodec.COMMIT_RECORD_BYTES);
            assertHolds(log, written);
        }
        List<Path> files = segments(dir);
        assertThat(files).hasSizeGreaterThan(6);
        for (Path file : files.subList(0, files.size() - 1)) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(8 << 10); // requests here are smaller than a segment
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(8 << 10))) {
            assertHolds(log, written);
        }
    }

    @Test
    void persistReplacesAConflictingSuffixDurably() throws IOException {
        List<LogEntry> expected = new ArrayList<>(entries(1, 50, 1));
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            await(log.append(expected));
            List<LogEntry> replacement = entries(31, 40, 2);
            await(log.persist(new HardState(2, null, 30), replacement));
            expected.subList(30, 50).clear();
            expected.addAll(replacement);
            assertHolds(log, expected);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            assertHolds(log, expected);
            assertThat(log.hardState()).isEqualTo(new HardState(2, null, 30));
            await(log.append(entries(41, 45, 2)));
            expected.addAll(entries(41, 45, 2));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            assertHolds(log, expected);
        }
    }

    @Test
    void truncationAcrossManySegmentsThenCompactionThenReopen() throws IOException {
        List<LogEntry> expected = new ArrayList<>(entries(1, 400, 1));
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            for (int i = 0; i < 400; i += 10) {
                await(log.append(expected.subList(i, i + 10)));
            }
            int before = segments(dir).size();
            await(log.persist(new HardState(2, null, 100), entries(101, 120, 2)));
            expected.subList(100, 400).clear();
            expected.addAll(entries(101, 120, 2));
            await(log.append(entries(121, 300, 2)));
            expected.addAll(entries(121, 300, 2));
            assertHolds(log, expected);
            assertThat(segments(dir).size()).isGreaterThan(before);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            assertHolds(log, expected);
            await(log.compactPrefix(150));
            expected.subList(0, 150).clear();
            assertHolds(log, expected);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            assertHolds(log, expected);
            assertThat(log.hardState()).isEqualTo(new HardState(2, null, 100));
        }
    }

    @Test
    void hardStateOnlyPersistsAreDurable() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            await(log.persist(new HardState(1, NodeId.of("a"), 0), List.of()));
            await(log.persist(new HardState(2, null, 0), List.of()));
            await(log.persist(new HardState(2, NodeId.of("b"), 0), List.of()));
            assertThat(log.hardState()).isEqualTo(new HardState(2, NodeId.of("b"), 0));
            assertThat(log.lastIndex()).isZero();
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            assertThat(log.hardState()).isEqualTo(new HardState(2, NodeId.of("b"), 0));
        }
    }

    @Test
    void hardStateSurvivesCompactionOfTheSegmentsThatWroteIt() throws IOException {
        HardState state = new HardState(4, NodeId.of("n1"), 10);
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            await(log.persist(state, entries(1, 10, 4)));
            await(log.append(entries(11, 300, 4)));
            await(log.compactPrefix(290));
            assertThat(segments(dir)).hasSizeLessThan(3);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            assertThat(log.hardState()).isEqualTo(state);
            assertThat(log.firstIndex()).isEqualTo(291);
            assertHolds(log, entries(291, 300, 4));
        }
    }

    @Test
    void compactionDeletesWholeSegmentsAndRecordsTheFirstIndex() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            await(log.append(entries(1, 500, 1)));
            for (int i = 501; i <= 1000; i += 50) {
                await(log.append(entries(i, i + 49, 1)));
            }
            int before = segments(dir).size();
            await(log.compactPrefix(700));
            assertThat(log.firstIndex()).isEqualTo(701);
            assertThat(segments(dir).size()).isLessThan(before);
            assertThat(log.stats().segmentsDeleted()).isPositive();
            assertThatThrownBy(() -> log.entry(700)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> log.term(700)).isInstanceOf(IndexOutOfBoundsException.class);
            assertHolds(log, entries(701, 1000, 1));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            assertHolds(log, entries(701, 1000, 1));
            await(log.append(entries(1001, 1010, 1)));
            assertHolds(log, entries(701, 1010, 1));
        }
    }

    @Test
    void compactionPastTheEndEmptiesTheLogWhichContinuesThere() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            await(log.append(entries(1, 100, 1)));
            await(log.compactPrefix(5000));
            assertThat(log.firstIndex()).isEqualTo(5001);
            assertThat(log.lastIndex()).isEqualTo(5000);
            assertThat(segments(dir)).hasSize(1);
            assertThatThrownBy(() -> log.append(entries(101, 101, 1))).isInstanceOf(IllegalArgumentException.class);
            await(log.append(entries(5001, 5010, 2)));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            assertHolds(log, entries(5001, 5010, 2));
        }
    }

    @Test
    void compactionToAnOlderIndexIsANoOp() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            await(log.append(entries(1, 100, 1)));
            await(log.compactPrefix(50));
            await(log.compactPrefix(20));
            assertThat(log.firstIndex()).isEqualTo(51);
        }
    }

    @Test
    void readsStopAtMaxBytesButReturnAtLeastOneEntry() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            List<LogEntry> written = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                written.add(entry(i, 1, 100));
            }
            await(log.append(written));
            assertThat(log.read(1, 10, 3 * 124)).containsExactlyElementsOf(written.subList(0, 3));
            assertThat(log.read(4, 10, 1)).containsExactly(written.get(3));
            assertThatThrownBy(() -> log.read(0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> log.read(5, 11)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> log.read(5, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void invalidSubmissionsAreRejectedAtOnce() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, WalOptions.builder().segmentSizeBytes(64 << 10)
                .preallocate(false).maxEntryBytes(1000).build())) {
            await(log.append(entries(1, 10, 1)));
            assertThatThrownBy(() -> log.append(entries(12, 13, 1))).hasMessageContaining("must start in [11, 11]");
            assertThatThrownBy(() -> log.append(entries(5, 6, 1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.persist(null, entries(12, 13, 1))).hasMessageContaining("[1, 11]");
            assertThatThrownBy(() -> log.persist(null, List.of(entry(11, 1, 1), entry(13, 1, 1))))
                    .hasMessageContaining("consecutive");
            assertThatThrownBy(() -> log.append(1, EntryType.NORMAL, new byte[1001]))
                    .hasMessageContaining("maxEntryBytes");
            assertThatThrownBy(() -> log.append(0, EntryType.NORMAL, new byte[1]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.compactPrefix(-1)).isInstanceOf(IllegalArgumentException.class);
            await(log.compactPrefix(5));
            assertThatThrownBy(() -> log.persist(null, entries(4, 5, 2))).hasMessageContaining("[6, 11]");
            assertHolds(log, entries(6, 10, 1));
        }
    }

    @Test
    void pipelinedSubmissionsAreValidatedAgainstTheLogTheyWillSee() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            futures.add(log.append(entries(1, 100, 1)));
            futures.add(log.persist(new HardState(2, null, 0), entries(51, 60, 2)));
            futures.add(log.append(entries(61, 70, 2)));
            futures.add(log.compactPrefix(55));
            futures.add(log.persist(null, List.of()));
            futures.forEach(WalTestSupport::await);
            List<LogEntry> expected = new ArrayList<>(entries(56, 60, 2));
            expected.addAll(entries(61, 70, 2));
            assertHolds(log, expected);
        }
    }

    @Test
    void aLockedDirectoryCannotBeOpenedTwice() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            assertThatThrownBy(() -> SegmentedLog.open(dir, small(64 << 10))).hasMessageContaining("already open");
        }
    }

    @Test
    void writesAfterCloseFailAndCloseIsIdempotent() throws Exception {
        SegmentedLog log = SegmentedLog.open(dir, small(64 << 10));
        CompletableFuture<Void> before = log.append(entries(1, 5, 1));
        log.close();
        assertThat(before).isCompleted();
        assertThat(before.isCompletedExceptionally()).isFalse();
        CompletableFuture<Long> after = log.append(1, EntryType.NORMAL, new byte[1]);
        assertThatThrownBy(() -> after.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(WalClosedException.class);
        log.close();
    }

    @Test
    void preallocatedSegmentsRollAndRecover() throws IOException {
        WalOptions options = WalOptions.builder().segmentSizeBytes(64 << 10).preallocate(true).build();
        List<LogEntry> written = entries(1, 2000, 1);
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            for (int i = 0; i < written.size(); i += 100) {
                await(log.append(written.subList(i, i + 100)));
            }
            assertThat(log.stats().segmentsCreated()).isPositive();
        }
        List<Path> files = segments(dir);
        assertThat(Files.size(files.get(files.size() - 1))).isEqualTo(64 << 10); // still preallocated
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            assertHolds(log, written);
            await(log.append(entries(2001, 2010, 1)));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            assertThat(log.lastIndex()).isEqualTo(2010);
        }
    }

    @Test
    void largeReadsCrossManySpansAndSegments() throws IOException {
        List<LogEntry> written = new ArrayList<>();
        for (int i = 1; i <= 3 * EntryReader.SPAN_ENTRIES + 17; i++) {
            written.add(entry(i, 1 + i / 5000, i % 23));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            for (int i = 0; i < written.size(); i += 1000) {
                await(log.append(written.subList(i, Math.min(written.size(), i + 1000))));
            }
            assertThat(log.read(1, written.size())).containsExactlyElementsOf(written);
            assertThat(log.read(4000, 9000)).containsExactlyElementsOf(written.subList(3999, 9000));
        }
    }

    @Test
    void readsRacingCompactionReturnCorrectEntriesOrReportTheCompaction() throws Exception {
        List<LogEntry> written = entries(1, 4000, 1);
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            for (int i = 0; i < written.size(); i += 200) {
                await(log.append(written.subList(i, i + 200)));
            }
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            AtomicInteger compactedReads = new AtomicInteger();
            Thread reader = new Thread(() -> {
                for (int round = 0; round < 400 && unexpected.get() == null; round++) {
                    long from = log.firstIndex();
                    try {
                        List<LogEntry> got = log.read(from, 4000);
                        assertThat(got).containsExactlyElementsOf(written.subList((int) from - 1, 4000));
                    } catch (IndexOutOfBoundsException e) {
                        compactedReads.incrementAndGet(); // compacted between firstIndex() and the read
                    } catch (Throwable t) {
                        unexpected.set(t);
                    }
                }
            });
            reader.start();
            for (long upTo = 100; upTo < 3900; upTo += 100) {
                await(log.compactPrefix(upTo));
            }
            reader.join(WalTestSupport.TIMEOUT_SECONDS * 1000);
            assertThat(unexpected.get()).isNull();
            assertHolds(log, written.subList(3800, 4000));
        }
    }

    @Test
    void anInterruptedReaderDoesNotBreakTheLog() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, small(64 << 10))) {
            await(log.append(entries(1, 20, 1)));
            Thread.currentThread().interrupt(); // NIO closes a channel used by an interrupted thread
            assertThatThrownBy(() -> log.read(1, 20)).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasRootCauseInstanceOf(java.nio.channels.ClosedByInterruptException.class);
            assertThat(Thread.interrupted()).isTrue();
            await(log.append(entries(21, 30, 1))); // the writer's channel is untouched
            assertHolds(log, entries(1, 30, 1)); // and the read channel reopens
        }
    }
}
