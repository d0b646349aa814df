package io.raftkv.verify.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hand-built register histories, and a large random linearizable one. */
class RegisterCheckerTest {

    private final Ops h = new Ops(Workload.REGISTER);

    private static WorkloadVerdict check(List<Op> ops) {
        return new RegisterChecker(Duration.ofSeconds(30)).check(ops);
    }

    @Test
    void concurrentReadsMaySeeEitherValue() {
        h.ok(0, Fn.WRITE, "r1", "a", null, 0, 10);
        h.ok(1, Fn.WRITE, "r1", "b", null, 20, 40);
        h.read(2, "r1", "a", 25, 30);
        h.read(3, "r1", "b", 26, 35);
        h.read(2, "r1", "b", 45, 50);
        h.read(4, "r2", null, 0, 5);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.VALID);
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.evidence()).isEmpty();
    }

    @Test
    void unknownWriteMayTakeEffectLongAfterTheClientGaveUp() {
        h.ok(0, Fn.WRITE, "r1", "a", null, 0, 10);
        h.unknown(1, Fn.WRITE, "r1", "b", 20, 30);
        h.read(2, "r1", "a", 40, 50);
        h.read(2, "r1", "b", 60, 70);

        assertThat(check(h.all()).validity()).isEqualTo(Validity.VALID);
    }

    @Test
    void unknownWriteMayNeverTakeEffect() {
        h.ok(0, Fn.WRITE, "r1", "a", null, 0, 10);
        h.unknown(1, Fn.WRITE, "r1", "b", 20, 30);
        h.unknown(2, Fn.READ, "r1", null, 20, 30);
        h.read(2, "r1", "a", 40, 50);
        h.read(3, "r1", "a", 400, 500);

        assertThat(check(h.all()).validity()).isEqualTo(Validity.VALID);
    }

    @Test
    void readOfAFailedWriteIsInvalidWithTheReadAsEvidence() {
        h.ok(0, Fn.WRITE, "r1", "a", null, 0, 10);
        h.fail(1, Fn.WRITE, "r1", "b", 20, 30);
        Op read = h.read(2, "r1", "b", 40, 50);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(read);
        assertThat(verdict.problems()).singleElement().asString()
                .contains("#2 p2", "R r1 -> \"b\"", "[40.0, 50.0 ms]", "no acknowledged or unknown write");
    }

    @Test
    void readOfAValueWrittenToAnotherKeyIsInvalid() {
        h.ok(0, Fn.WRITE, "r1", "a", null, 0, 10);
        Op read = h.read(1, "r2", "a", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(read);
    }

    @Test
    void staleReadIsInvalidWithTheBlockedReadAndTheWritesBeforeItAsEvidence() {
        h.ok(3, Fn.WRITE, "r2", "x", null, 0, 10);
        h.read(3, "r2", "x", 20, 30);
        Op first = h.ok(0, Fn.WRITE, "r1", "a", null, 0, 10);
        Op second = h.ok(1, Fn.WRITE, "r1", "b", null, 20, 30);
        Op stale = h.read(2, "r1", "a", 40, 50);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(first, second, stale);
        assertThat(verdict.problems()).singleElement().asString()
                .contains("key r1 is not linearizable", "leaves \"b\"", "#4 p2@", "R r1 -> \"a\"");
    }

    @Test
    void searchOutOfTimeIsUnknown() {
        h.ok(0, Fn.WRITE, "r1", "a", null, 0, 10);
        h.read(1, "r1", "a", 20, 30);

        WorkloadVerdict verdict = new RegisterChecker(Duration.ZERO).check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.UNKNOWN);
        assertThat(verdict.evidence()).isEmpty();
        assertThat(verdict.problems()).singleElement().asString().contains("key r1", "ran out of time");
    }

    @Test
    @Timeout(60)
    void largeRandomLinearizableHistoryIsValid() {
        List<Op> ops = RandomHistories.generate(Workload.REGISTER, 7, 20, 50_000, 200);

        WorkloadVerdict verdict = check(ops);

        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.validity()).isEqualTo(Validity.VALID);
    }

    @Test
    @Timeout(60)
    void largeRandomHistoryWithAStaleFinalReadIsInvalid() {
        List<Op> ops = new ArrayList<>(RandomHistories.generate(Workload.REGISTER, 8, 20, 50_000, 200));
        List<Op> writes = ops.stream().filter(op -> op.key().equals("r0") && op.fn() == Fn.WRITE && op.ok())
                .sorted(Comparator.comparingLong(Op::completeNanos)).toList();
        Op overwritten = writes.get(0);
        assertThat(writes).anyMatch(w -> w.invokeNanos() > overwritten.completeNanos());
        Op finalRead = ops.stream().filter(op -> op.key().equals("r0") && op.isFinal()).findFirst().orElseThrow();
        Op stale = withResult(finalRead, overwritten.value());
        ops.set(ops.indexOf(finalRead), stale);

        WorkloadVerdict verdict = check(ops);

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).contains(stale);
        assertThat(verdict.problems()).first().asString().startsWith("key r0 is not linearizable");
    }

    static Op withResult(Op op, String result) {
        return new Op(op.index(), op.process(), op.node(), op.workload(), op.fn(), op.key(), op.value(), op.outcome(),
                result, op.invokeNanos(), op.completeNanos(), op.error(), op.isFinal());
    }
}
