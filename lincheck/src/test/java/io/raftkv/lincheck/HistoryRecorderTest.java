package io.raftkv.lincheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistoryRecorderTest {

    @Test
    void recordsCompletedFailedUnknownAndOpenOperations() {
        HistoryRecorder recorder = new HistoryRecorder();
        long ok = recorder.invoke(1, RegisterInput.write(1), 10);
        long failed = recorder.invoke(2, RegisterInput.write(2), 11);
        long unknown = recorder.invoke(3, RegisterInput.write(3), 12);
        long open = recorder.invoke(4, RegisterInput.read(), 13);
        recorder.ok(ok, null, 20);
        recorder.fail(failed, 21);
        recorder.unknown(unknown);

        assertThat(recorder.history()).containsExactly(
                Operation.completed(1, RegisterInput.write(1), null, 10, 20),
                Operation.unknown(3, RegisterInput.write(3), 12),
                Operation.unknown(4, RegisterInput.read(), 13));

        // history() is a snapshot: the open operation can still complete.
        recorder.ok(open, 1, 30);
        assertThat(recorder.history()).last()
                .isEqualTo(Operation.completed(4, RegisterInput.read(), 1, 13, 30));
    }

    @Test
    void anOperationCompletesOnce() {
        HistoryRecorder recorder = new HistoryRecorder();
        long id = recorder.invoke(1, RegisterInput.read(), 0);
        recorder.unknown(id);
        assertThatThrownBy(() -> recorder.ok(id, 1, 5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> recorder.fail(id, 5)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsBadIdsAndTimes() {
        HistoryRecorder recorder = new HistoryRecorder();
        long id = recorder.invoke(1, RegisterInput.read(), 10);
        assertThatThrownBy(() -> recorder.ok(id, 1, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.ok(id + 1, 1, 20))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.invoke(1, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.invoke(1, RegisterInput.read(), Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordedHistoryIsChecked() {
        HistoryRecorder recorder = new HistoryRecorder();
        long w = recorder.invoke(0, KvInput.put("x", "1"), 0);
        long lost = recorder.invoke(1, KvInput.put("x", "2"), 1);
        recorder.ok(w, null, 5);
        recorder.fail(lost, 6); // definitely not applied, so a read of "2" is impossible
        long r = recorder.invoke(2, KvInput.get("x"), 10);
        recorder.ok(r, "2", 11);

        assertThat(LinearizabilityChecker.check(KvModels.casKv(), recorder.history(), 1_000)
                .verdict()).isEqualTo(Verdict.ILLEGAL);
    }
}
