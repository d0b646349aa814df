package io.raftkv.lincheck;

import static io.raftkv.lincheck.RegisterInput.cas;
import static io.raftkv.lincheck.RegisterInput.read;
import static io.raftkv.lincheck.RegisterInput.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written histories with known verdicts. */
class LinearizabilityCheckerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Model<Object> REGISTER = RegisterModels.casRegister();

    private static Operation op(int client, Object input, Object output, long call, long ret) {
        return Operation.completed(client, input, output, call, ret);
    }

    private static Verdict verdict(List<Operation> history) {
        return LinearizabilityChecker.check(REGISTER, history, TIMEOUT).verdict();
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertThat(verdict(List.of())).isEqualTo(Verdict.OK);
        assertThat(LinearizabilityChecker.check(KvModels.kv(), List.of(), TIMEOUT).verdict())
                .isEqualTo(Verdict.OK);
    }

    @Test
    void sequentialHistoryFollowsTheModel() {
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 1),
                op(0, read(), 1, 2, 3),
                op(1, cas(1, 2), true, 4, 5),
                op(1, cas(1, 3), false, 6, 7),
                op(0, read(), 2, 8, 9)))).isEqualTo(Verdict.OK);
    }

    @Test
    void readOfAValueNobodyWroteIsIllegal() {
        CheckResult result = LinearizabilityChecker.check(REGISTER, List.of(
                op(0, write(1), null, 0, 10),
                op(1, read(), 7, 5, 15)), TIMEOUT);

        assertThat(result.verdict()).isEqualTo(Verdict.ILLEGAL);
        PartitionResult failure = result.failures().get(0);
        assertThat(failure.blockingOperation().output()).isEqualTo(7);
        assertThat(failure.explanation()).contains("read() -> 7");
    }

    @Test
    void staleReadAfterACompletedWriteIsIllegal() {
        CheckResult result = LinearizabilityChecker.check(REGISTER, List.of(
                op(0, write(1), null, 0, 10),
                op(0, write(2), null, 20, 30),
                op(1, read(), 1, 40, 50)), TIMEOUT);

        assertThat(result.verdict()).isEqualTo(Verdict.ILLEGAL);
        PartitionResult failure = result.failures().get(0);
        assertThat(failure.longestPrefix()).extracting(Operation::input)
                .containsExactly(write(1), write(2));
        assertThat(failure.blockingOperation().input()).isEqualTo(read());
        assertThat(result.explain())
                .contains("NOT linearizable", "Longest linearizable prefix found: 2 of 3",
                        "State after the prefix: 2", "client 1: read() -> 1  [40, 50]",
                        "not allowed in this state");
    }

    @Test
    void concurrentReadMaySeeEitherValue() {
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 10),
                op(1, write(2), null, 20, 40),
                op(2, read(), 1, 25, 30),
                op(3, read(), 2, 31, 35)))).isEqualTo(Verdict.OK);
        // ...but not go back in time once a later read saw the new value.
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 10),
                op(1, write(2), null, 20, 40),
                op(3, read(), 2, 21, 22),
                op(2, read(), 1, 25, 30)))).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void touchingIntervalsAreConcurrent() {
        // The read is invoked at the very tick the write returns: they are concurrent, so the
        // read may still see the old value.
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 10),
                op(1, read(), null, 10, 20)))).isEqualTo(Verdict.OK);
        // One tick later the write strictly precedes the read.
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 10),
                op(1, read(), null, 11, 20)))).isEqualTo(Verdict.ILLEGAL);
        // Zero-length intervals are fine.
        assertThat(verdict(List.of(
                op(0, write(1), null, 5, 5),
                op(1, read(), 1, 5, 5)))).isEqualTo(Verdict.OK);
    }

    @Test
    void unknownWriteMayTakeEffectLongAfterItsClientGaveUp() {
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 10),
                Operation.unknown(1, write(2), 5),
                op(2, read(), 1, 50, 60),
                op(2, read(), 1, 70, 80),
                op(3, read(), 2, 1000, 1010)))).isEqualTo(Verdict.OK);
    }

    @Test
    void unknownWriteMayNeverTakeEffect() {
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 10),
                Operation.unknown(1, write(2), 5),
                Operation.unknown(1, cas(1, 3), 6),
                op(2, read(), 1, 50, 60),
                op(2, read(), 1, 1000, 1010)))).isEqualTo(Verdict.OK);
    }

    @Test
    void unknownWriteTakesEffectAtMostOnce() {
        // Once a read saw it, a later read cannot see the old value again.
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 10),
                Operation.unknown(1, write(2), 5),
                op(2, read(), 2, 50, 60),
                op(2, read(), 1, 70, 80)))).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItsCall() {
        assertThat(verdict(List.of(
                op(2, read(), 2, 0, 10),
                Operation.unknown(1, write(2), 20)))).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void historyOfOnlyUnknownOperationsIsLinearizable() {
        assertThat(verdict(List.of(
                Operation.unknown(0, read(), 0),
                Operation.unknown(1, cas(5, 6), 1)))).isEqualTo(Verdict.OK);
    }

    @Test
    void unknownOperationsInteractCorrectlyWithTheMemo() {
        // Two unknown writes of the same value produce identical states in different linearized
        // sets; only one of them may take effect between the reads, and either may never.
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 1),
                Operation.unknown(1, write(2), 2),
                Operation.unknown(2, write(2), 3),
                op(3, read(), 2, 10, 11),
                op(3, write(1), null, 12, 13),
                op(3, read(), 2, 14, 15)))).isEqualTo(Verdict.OK);
        assertThat(verdict(List.of(
                op(0, write(1), null, 0, 1),
                Operation.unknown(1, write(2), 2),
                op(3, read(), 2, 10, 11),
                op(3, write(1), null, 12, 13),
                op(3, read(), 2, 14, 15)))).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void partitionsAreCheckedIndependently() {
        Model<String> kv = KvModels.casKv();
        List<Operation> history = List.of(
                op(0, KvInput.put("a", "1"), null, 0, 10),
                op(1, KvInput.put("b", "1"), null, 0, 10),
                op(0, KvInput.get("a"), "1", 20, 30),
                op(1, KvInput.get("b"), null, 20, 30), // stale: b was put before
                op(2, KvInput.get("c"), null, 0, 5));

        CheckResult result = LinearizabilityChecker.check(kv, history, TIMEOUT);

        assertThat(result.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(result.partitions()).extracting(PartitionResult::partition, PartitionResult::verdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("key=a", Verdict.OK),
                        org.assertj.core.groups.Tuple.tuple("key=b", Verdict.ILLEGAL),
                        org.assertj.core.groups.Tuple.tuple("key=c", Verdict.OK));
        assertThat(result.failures()).singleElement()
                .extracting(PartitionResult::partition).isEqualTo("key=b");
        assertThat(result.explain()).contains("Partition key=b: NOT linearizable",
                "get(b) -> null");
    }

    @Test
    void partitioningMakesPerKeyHistoriesIndependent() {
        // A value put under one key is not visible under another.
        assertThat(LinearizabilityChecker.check(KvModels.casKv(), List.of(
                op(0, KvInput.put("a", "1"), null, 0, 10),
                op(1, KvInput.get("b"), "1", 20, 30)), TIMEOUT).verdict())
                .isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void timeoutGivesUnknownInsteadOfHanging() {
        // 40 concurrent writes and a concurrent read of a value none of them wrote: proving this
        // illegal means trying every subset of the writes, far beyond the time budget.
        List<Operation> history = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            history.add(op(i, write(i), null, 0, 100));
        }
        history.add(op(0, read(), -1, 0, 100));

        long start = System.nanoTime();
        CheckResult result = LinearizabilityChecker.check(REGISTER, history, 50);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(millis).isLessThan(2_000);
        assertThat(result.partitions().get(0).searchSteps()).isPositive();
        assertThat(result.explain()).contains("UNKNOWN", "timed out");
    }

    @Test
    void illegalPartitionIsReportedEvenIfAnotherIsIntractable() {
        List<Operation> history = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            history.add(op(i, KvInput.put("slow", "v" + i), null, 0, 100));
        }
        history.add(op(0, KvInput.get("slow"), "none", 0, 100));
        history.add(op(50, KvInput.put("fast", "x"), null, 0, 10));
        history.add(op(51, KvInput.get("fast"), "y", 20, 30));

        CheckResult result = LinearizabilityChecker.check(KvModels.casKv(), history,
                Duration.ofSeconds(20));

        assertThat(result.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(result.failures()).extracting(PartitionResult::partition)
                .containsExactly("key=fast");
        assertThat(result.partitions().get(0).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(result.partitions().get(0).explanation()).contains("abandoned");
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void millisecondOverloadMatchesDurationVersion() {
        List<Operation> history = List.of(op(0, write(1), null, 0, 10), op(1, read(), 1, 5, 6));
        assertThat(LinearizabilityChecker.check(REGISTER, history, 1_000).verdict())
                .isEqualTo(Verdict.OK);
    }

    @Test
    void modelThatLosesOperationsWhilePartitioningIsRejected() {
        Model<Object> lossy = new Model<>() {
            @Override
            public Object init() {
                return null;
            }

            @Override
            public StepResult<Object> step(Object state, Object input, Object output) {
                return StepResult.ok(state);
            }

            @Override
            public List<Partition> partition(List<Operation> history) {
                return List.of(new Partition("first", history.subList(0, 1)));
            }
        };
        List<Operation> history = List.of(op(0, read(), null, 0, 1), op(0, read(), null, 2, 3));
        assertThatThrownBy(() -> LinearizabilityChecker.check(lossy, history, TIMEOUT))
                .isInstanceOf(IllegalStateException.class);
    }
}
