package io.raftkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.HardState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The in-memory index and the staging of a batch's effect on it. */
class LogIndexTest {
    private final SegmentFile a = new SegmentFile(Path.of("a"), new SegmentName(1, 1), null, 0);
    private final SegmentFile b = new SegmentFile(Path.of("b"), new SegmentName(2, 4), null, 0);

    @Test
    void appendsTruncationsAndCompactionsKeepOffsetsTermsAndSegments() {
        LogIndex index = new LogIndex(1);
        index.append(1, 1, a, 100);
        index.append(2, 1, a, 200);
        index.append(3, 2, a, 300);
        index.append(4, 2, b, 50);
        assertThat(index.chunkOf(3).segment).isSameAs(a);
        assertThat(index.chunkOf(4).segment).isSameAs(b);
        assertThat(index.term(2)).isEqualTo(1);
        assertThat(index.term(4)).isEqualTo(2);
        assertThat(index.termRuns()).isEqualTo(2);

        index.truncateFrom(3); // the conflicting suffix, across a segment boundary
        assertThat(index.lastIndex()).isEqualTo(2);
        index.append(3, 3, b, 90);
        assertThat(index.chunkOf(3).segment).isSameAs(b);
        assertThat(index.chunkOf(3).offsets[(int) (3 - index.chunkOf(3).baseIndex)]).isEqualTo(90);
        assertThat(index.term(3)).isEqualTo(3);

        index.compactTo(3);
        assertThat(index.firstIndex()).isEqualTo(3);
        assertThat(index.oldestLiveSegment()).isSameAs(b);
        assertThatThrownBy(() -> index.term(2)).isInstanceOf(IndexOutOfBoundsException.class);

        index.compactTo(10); // past the end: empty, continuing at 10
        assertThat(index.firstIndex()).isEqualTo(10);
        assertThat(index.lastIndex()).isEqualTo(9);
        assertThat(index.oldestLiveSegment()).isNull();
        assertThatThrownBy(() -> index.append(12, 1, b, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void truncationBelowTheFirstIndexRestartsTheLogThere() {
        LogIndex index = new LogIndex(50);
        index.append(50, 1, a, 10);
        index.truncateFrom(20);
        assertThat(index.firstIndex()).isEqualTo(20);
        assertThat(index.lastIndex()).isEqualTo(19);
    }

    @Test
    void stagedOperationsValidateAgainstTheLogAndApplyTogether() {
        LogIndex index = new LogIndex(1);
        IndexOps ops = new IndexOps();
        ops.begin(index, a);
        ops.hardState(new HardState(2, null, 1));
        ops.entry(1, 1, 10);
        ops.entry(2, 1, 20);
        ops.truncate(2);
        ops.entry(2, 2, 30);
        assertThatThrownBy(() -> ops.entry(4, 2, 40)).hasMessageContaining("does not follow");
        assertThatThrownBy(() -> ops.truncate(4)).hasMessageContaining("beyond the last index");
        assertThat(index.lastIndex()).as("nothing applied yet").isZero();
        ops.applyTo(index);
        assertThat(index.lastIndex()).isEqualTo(2);
        assertThat(index.term(2)).isEqualTo(2);
        assertThat(index.hardState()).isEqualTo(new HardState(2, null, 1));
    }

    @Test
    void termRunsAnswerForEveryIndex() {
        TermRuns runs = new TermRuns();
        for (long i = 1; i <= 100; i++) {
            runs.append(i, 1 + i / 10);
        }
        for (long i = 1; i <= 100; i++) {
            assertThat(runs.termAt(i)).isEqualTo(1 + i / 10);
        }
        runs.truncateFrom(55);
        runs.append(55, 99);
        assertThat(runs.termAt(54)).isEqualTo(6);
        assertThat(runs.termAt(55)).isEqualTo(99);
        runs.dropBefore(40);
        assertThat(runs.termAt(40)).isEqualTo(5);
        assertThat(runs.runs()).isEqualTo(3);
    }
}
