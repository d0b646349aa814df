package io.raftkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncating a suffix without appending: what installing a non-matching snapshot needs (Figure 13). */
class TruncateSuffixTest {
    @TempDir
    Path dir;

    private static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(new LogEntry(i, term, EntryType.NORMAL, new byte[] {(byte) i}));
        }
        return out;
    }

    @Test
    void truncationIsDurableAndTheLogContinuesWhereItWasCut() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir)) {
            log.persist(new HardState(2, null, 3), entries(1, 10, 2)).join();
            log.truncateSuffix(6).join();
            assertThat(log.lastIndex()).isEqualTo(5);
        }
        try (SegmentedLog log = SegmentedLog.open(dir)) {
            assertThat(log.lastIndex()).isEqualTo(5);
            log.persist(null, entries(6, 7, 3)).join();
            assertThat(log.term(6)).isEqualTo(3);
        }
        try (SegmentedLog log = SegmentedLog.open(dir)) {
            assertThat(log.lastIndex()).isEqualTo(7);
            assertThat(log.term(5)).isEqualTo(2);
            assertThat(log.term(7)).isEqualTo(3);
        }
    }

    @Test
    void truncatingEverythingThenCompactingStartsTheLogAfterASnapshot() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir)) {
            log.persist(new HardState(2, null, 0), entries(1, 10, 2)).join();
            log.truncateSuffix(1).join();
            log.compactPrefix(20).join();
            log.persist(null, entries(21, 22, 4)).join();
        }
        try (SegmentedLog log = SegmentedLog.open(dir)) {
            assertThat(log.firstIndex()).isEqualTo(21);
            assertThat(log.lastIndex()).isEqualTo(22);
            assertThat(log.hardState().currentTerm()).isEqualTo(2);
        }
    }

    @Test
    void aTruncationPastTheEndChangesNothingAndOneBeforeTheStartIsRefused() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir)) {
            log.persist(null, entries(1, 3, 1)).join();
            log.truncateSuffix(4).join();
            assertThat(log.lastIndex()).isEqualTo(3);
            log.compactPrefix(2).join();
            assertThatThrownBy(() -> log.truncateSuffix(1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
