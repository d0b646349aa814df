package io.raftkv.verify.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One test per counter rule, valid histories with unknown increments, and large random ones. */
class CounterCheckerTest {

    private final Ops h = new Ops(Workload.COUNTER);

    private static WorkloadVerdict check(List<Op> ops) {
        return new CounterChecker().check(ops);
    }

    private Op incr(int process, long result, long from, long to) {
        return h.ok(process, Fn.INCR, "c1", null, Long.toString(result), from, to);
    }

    private Op unknownIncr(int process, long from, long to) {
        return h.unknown(process, Fn.INCR, "c1", null, from, to);
    }

    @Test
    void validHistoryWithUnknownIncrementsThatLandLateOrNever() {
        h.read(0, "c1", null, 0, 2);
        incr(0, 2, 3, 10);
        incr(1, 1, 3, 10);
        unknownIncr(2, 3, 10);
        unknownIncr(3, 3, 10);
        h.fail(4, Fn.INCR, "c1", null, 3, 10);
        h.read(0, "c1", "2", 11, 12);
        h.read(1, "c1", "3", 20, 30);
        incr(0, 4, 40, 50);
        h.read(5, "c2", "0", 0, 1);
        h.finalRead(1, "c1", "4", 100, 110);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.validity()).isEqualTo(Validity.VALID);
        assertThat(verdict.summary()).contains("2 key(s)", "6 increments (3 ok, 2 unknown)");
    }

    @Test
    void opsWhoseIntervalsOnlyTouchAreConcurrent() {
        incr(0, 2, 0, 10);
        incr(1, 1, 10, 20);
        h.read(2, "c1", "1", 10, 20);
        h.finalRead(2, "c1", "2", 30, 40);

        assertThat(check(h.all()).validity()).isEqualTo(Validity.VALID);
    }

    @Test
    void duplicateResults() {
        Op a = incr(0, 1, 0, 10);
        Op b = incr(1, 1, 0, 10);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactlyInAnyOrder(a, b);
        assertThat(verdict.problems().get(0)).contains("2 increments returned 1: #0 p0");
    }

    @Test
    void incrementsOutOfRealTimeOrder() {
        unknownIncr(2, 0, 5);
        unknownIncr(3, 0, 5);
        Op earlier = incr(0, 3, 0, 10);
        Op later = incr(1, 2, 20, 30);
        h.finalRead(0, "c1", "4", 40, 50);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(earlier, later);
        assertThat(verdict.problems()).singleElement().asString()
                .contains("#3 p1@", "returned 2", "#2 p0@", "had returned 3 before it was invoked");
    }

    @Test
    void readsGoBackwards() {
        unknownIncr(2, 0, 5);
        unknownIncr(3, 0, 5);
        Op earlier = h.read(0, "c1", "2", 10, 20);
        Op later = h.read(1, "c1", "1", 30, 40);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(earlier, later);
        assertThat(verdict.problems()).singleElement().asString().contains("read 1", "had read 2");
    }

    @Test
    void readMissesAnAcknowledgedIncrement() {
        Op increment = incr(0, 1, 0, 10);
        Op read = h.read(1, "c1", null, 20, 30);
        h.finalRead(1, "c1", "1", 40, 50);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(increment, read);
        assertThat(verdict.problems()).hasSize(2);
        assertThat(verdict.problems().get(1))
                .contains("read 0, but at least 1 was due: 1 increment(s) had been acknowledged");
    }

    @Test
    void incrementBelowWhatItMustHaveReached() {
        Op low = incr(0, 0, 0, 10);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(low);
        assertThat(verdict.problems().get(0)).contains("returned 0, but at least 1 was due");
    }

    @Test
    void readAboveEveryIncrementInvoked() {
        incr(0, 1, 0, 10);
        Op read = h.read(1, "c1", "5", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(read);
        assertThat(verdict.problems().get(0)).contains("read 5, but only 1 increment(s) had been invoked");
    }

    @Test
    void incrementAboveEveryIncrementInvoked() {
        Op increment = incr(0, 2, 0, 10);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(increment);
    }

    @Test
    void finalValueBelowTheAcknowledgedIncrements() {
        incr(0, 1, 0, 10);
        incr(1, 2, 5, 100);
        Op finalRead = h.finalRead(2, "c1", "1", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(finalRead);
        assertThat(verdict.problems()).singleElement().asString()
                .contains("final #2", "read 1, outside [2, 2]", "2 increment(s) were acknowledged and 0 unknown");
    }

    @Test
    void finalValueAboveTheAcknowledgedAndUnknownIncrements() {
        incr(0, 1, 0, 10);
        unknownIncr(1, 0, 10);
        h.fail(2, Fn.INCR, "c1", null, 0, 10);
        Op finalRead = h.finalRead(2, "c1", "3", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(finalRead);
        assertThat(verdict.problems()).anyMatch(p -> p.contains("outside [1, 2]"));
    }

    @Test
    void resultThatIsNotANumber() {
        Op garbage = h.ok(0, Fn.INCR, "c1", null, "OK", 0, 10);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(garbage);
        assertThat(verdict.problems().get(0)).contains("\"OK\", which is not a number");
    }

    @Test
    void noFinalReadLeavesTheVerdictUnknown() {
        incr(0, 1, 0, 10);
        h.unknown(1, Fn.READ, "c1", null, 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.UNKNOWN);
        assertThat(verdict.problems()).singleElement().asString().contains("key c1: no final read succeeded");
    }

    @Test
    @Timeout(30)
    void largeRandomHistoryIsValid() {
        List<Op> ops = RandomHistories.generate(Workload.COUNTER, 21, 50, 100_000, 5);

        WorkloadVerdict verdict = check(ops);

        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.validity()).isEqualTo(Validity.VALID);
    }

    @Test
    @Timeout(30)
    void largeRandomHistoryWithALostIncrementIsInvalid() {
        List<Op> ops = new ArrayList<>(RandomHistories.generate(Workload.COUNTER, 22, 50, 100_000, 5));
        Op finalRead = ops.stream().filter(op -> op.key().equals("c0") && op.isFinal()).findFirst().orElseThrow();
        long acknowledged = ops.stream().filter(op -> op.key().equals("c0") && op.fn() == Fn.INCR && op.ok()).count();
        Op damaged = RegisterCheckerTest.withResult(finalRead, Long.toString(acknowledged - 1));
        ops.set(ops.indexOf(finalRead), damaged);

        WorkloadVerdict verdict = check(ops);

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).contains(damaged);
    }
}
