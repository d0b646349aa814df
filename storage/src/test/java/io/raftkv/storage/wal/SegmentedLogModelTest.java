package io.raftkv.storage.wal;

import static io.raftkv.storage.wal.WalTestSupport.assertHolds;
import static io.raftkv.storage.wal.WalTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of appends, suffix replacements and deletions, hard-state writes, compactions
 * (also past the end), pipelined submissions and reopens, on tiny segments, checked after every step against a
 * model of what Raft expects the log to be. A failure names its seed.
 */
class SegmentedLogModelTest {
    @TempDir
    Path root;

    /** What the log must hold: terms of entries first..last and the hard state. */
    private static final class Model {
        long first = 1;
        final List<Long> terms = new ArrayList<>();
        HardState hardState = HardState.INITIAL;
        long term = 1;

        long last() {
            return first + terms.size() - 1;
        }

        List<LogEntry> entries() {
            List<LogEntry> list = new ArrayList<>();
            for (int i = 0; i < terms.size(); i++) {
                list.add(entry(first + i, terms.get(i)));
            }
            return list;
        }

        void replaceFrom(long from, List<LogEntry> entries) {
            while (last() >= from) {
                terms.remove(terms.size() - 1);
            }
            entries.forEach(e -> terms.add(e.term()));
        }

        void compact(long upTo) {
            if (upTo + 1 <= first) {
                return;
            }
            if (upTo >= last()) {
                terms.clear();
            } else {
                terms.subList(0, (int) (upTo + 1 - first)).clear();
            }
            first = upTo + 1;
        }
    }

    static LogEntry entry(long index, long term) {
        return WalTestSupport.entry(index, term, (int) ((index * 31 + term * 7) % 300));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsMatchTheModel(long seed) throws IOException {
        Random random = new Random(seed);
        Path dir = root.resolve("seed-" + seed);
        WalOptions options = WalOptions.builder().segmentSizeBytes(4 << 10).preallocate(seed % 2 == 0)
                .maxBatchBytes(4096 + random.nextInt(8192)).build();
        Model model = new Model();
        SegmentedLog log = SegmentedLog.open(dir, options, WalTestSupport.NO_SYNC); // logic, not durability
        try {
            for (int step = 0; step < 150; step++) {
                int pipelined = random.nextInt(4) == 0 ? 2 + random.nextInt(4) : 1;
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < pipelined; i++) {
                    futures.add(randomOperation(random, model, log));
                }
                futures.forEach(WalTestSupport::await);
                if (random.nextInt(10) == 0) {
                    log.close();
                    log = SegmentedLog.open(dir, options, WalTestSupport.NO_SYNC);
                }
                String where = "seed " + seed + " step " + step;
                assertThat(log.hardState()).as(where).isEqualTo(model.hardState);
                assertThat(log.firstIndex()).as(where).isEqualTo(model.first);
                assertThat(log.lastIndex()).as(where).isEqualTo(model.last());
                assertHolds(log, model.entries());
            }
            log.close();
            log = SegmentedLog.open(dir, options, WalTestSupport.NO_SYNC);
            assertHolds(log, model.entries());
            assertThat(WalTestSupport.segments(dir).size()).as("compaction keeps the directory small")
                    .isLessThan(40);
        } finally {
            log.close();
        }
    }

    private static CompletableFuture<Void> randomOperation(Random random, Model model, SegmentedLog log) {
        int kind = random.nextInt(100);
        if (kind < 50) {
            List<LogEntry> entries = new ArrayList<>();
            for (int i = 1 + random.nextInt(30); i > 0; i--) {
                entries.add(entry(model.last() + 1 + entries.size(), model.term));
            }
            model.replaceFrom(model.last() + 1, entries);
            return log.append(entries);
        }
        if (kind < 70) {
            long from = Math.max(model.first, model.last() + 1 - random.nextInt(60));
            model.term++;
            List<LogEntry> entries = new ArrayList<>();
            for (int i = 1 + random.nextInt(20); i > 0; i--) {
                entries.add(entry(from + entries.size(), model.term));
            }
            HardState state = new HardState(model.term, NodeId.of("n" + random.nextInt(5)),
                    Math.min(model.hardState.commitIndex(), from - 1));
            model.replaceFrom(from, entries);
            model.hardState = state;
            return log.persist(state, entries);
        }
        if (kind < 85) {
            HardState state = new HardState(model.term, model.hardState.votedFor(),
                    Math.max(model.hardState.commitIndex(), model.first - 1 + random.nextInt(model.terms.size() + 1)));
            model.hardState = state;
            return log.persist(state, List.of());
        }
        if (kind < 88) { // a suffix deleted without replacement (installing a non-matching snapshot)
            long from = Math.max(model.first, model.last() + 1 - random.nextInt(30));
            model.replaceFrom(from, List.of());
            return log.truncateSuffix(from);
        }
        long upTo = random.nextInt(20) == 0 ? model.last() + random.nextInt(100)
                : model.first - 1 + random.nextInt(model.terms.size() + 1);
        model.compact(upTo);
        return log.compactPrefix(upTo);
    }
}
