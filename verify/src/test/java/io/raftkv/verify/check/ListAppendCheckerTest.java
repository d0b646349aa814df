package io.raftkv.verify.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One test per list-append rule, valid histories with unknown appends, and a large random one. */
class ListAppendCheckerTest {

    private final Ops h = new Ops(Workload.APPEND);

    private static WorkloadVerdict check(List<Op> ops) {
        return new ListAppendChecker().check(ops);
    }

    private Op append(int process, String token, long from, long to) {
        return h.ok(process, Fn.APPEND, "l1", token + " ", null, from, to);
    }

    @Test
    void validHistoryWithUnknownAppendsThatLandLateOrNever() {
        append(0, "a", 0, 10);
        append(1, "b", 5, 15);
        h.unknown(2, Fn.APPEND, "l1", "late ", 0, 20);
        h.unknown(3, Fn.APPEND, "l1", "never ", 0, 20);
        h.fail(4, Fn.APPEND, "l1", "failed ", 0, 20);
        h.read(5, "l1", null, 0, 3);
        h.read(5, "l1", "a ", 4, 12);
        h.read(6, "l1", "a b ", 16, 18);
        h.unknown(6, Fn.READ, "l1", null, 19, 25);
        append(7, "c", 30, 40);
        h.read(5, "l1", "a b c ", 41, 50);
        h.read(6, "l2", null, 41, 50);
        h.finalRead(8, "l1", "a b c late ", 100, 110);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.validity()).isEqualTo(Validity.VALID);
        assertThat(verdict.summary()).contains("2 key(s)", "6 appends (3 ok, 2 unknown)");
    }

    @Test
    void opsWhoseIntervalsOnlyTouchAreConcurrent() {
        append(0, "a", 0, 10);
        append(1, "b", 10, 20);
        h.read(2, "l1", "b ", 10, 20);
        h.read(3, "l1", null, 0, 10);
        h.finalRead(2, "l1", "b a ", 30, 40);

        assertThat(check(h.all()).validity()).isEqualTo(Validity.VALID);
    }

    @Test
    void duplicateTokenInARead() {
        append(0, "a", 0, 10);
        Op read = h.read(1, "l1", "a a ", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(read);
        assertThat(verdict.problems().get(0)).contains("key l1", "#1 p1", "\"a\" more than once");
    }

    @Test
    void tokenNeverAppended() {
        append(0, "a", 0, 10);
        Op read = h.read(1, "l1", "a ghost ", 20, 30);
        h.finalRead(1, "l1", "a ", 40, 50);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(read);
        assertThat(verdict.problems().get(0)).contains("\"ghost\", which no append on l1 ever sent");
    }

    @Test
    void tokenOfAFailedAppend() {
        Op failed = h.fail(0, Fn.APPEND, "l1", "a ", 0, 10);
        Op read = h.read(1, "l1", "a ", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(failed, read);
        assertThat(verdict.problems().get(0)).contains("whose append #0", "failed");
    }

    @Test
    void readsThatDisagreeOnTheOrder() {
        append(0, "a", 0, 10);
        append(1, "b", 0, 10);
        Op first = h.read(2, "l1", "a b ", 20, 30);
        Op second = h.read(3, "l1", "b a ", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactlyInAnyOrder(first, second);
        assertThat(verdict.problems().get(0)).contains("disagree on the order: item 1");
    }

    @Test
    void laterReadSeesLessThanAnEarlierOne() {
        append(0, "a", 0, 5);
        h.unknown(1, Fn.APPEND, "l1", "b ", 0, 50);
        Op earlier = h.read(2, "l1", "a b ", 10, 20);
        Op later = h.read(3, "l1", "a ", 30, 40);
        h.finalRead(2, "l1", "a b ", 100, 110);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(earlier, later);
        assertThat(verdict.problems()).singleElement().asString().contains("saw 1 items", "had already seen 2");
    }

    @Test
    void readMissesAnAppendAcknowledgedBeforeIt() {
        Op acknowledged = append(0, "a", 0, 10);
        Op read = h.read(1, "l1", null, 20, 30);
        h.finalRead(1, "l1", "a ", 40, 50);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(acknowledged, read);
        assertThat(verdict.problems()).singleElement().asString().contains("lacks \"a\"", "acknowledged before");
    }

    @Test
    void readSeesAnAppendInvokedAfterItCompleted() {
        Op read = h.read(1, "l1", "a ", 0, 10);
        Op append = append(0, "a", 20, 30);
        h.finalRead(1, "l1", "a ", 40, 50);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(read, append);
        assertThat(verdict.problems()).singleElement().asString().contains("invoked only after the read completed");
    }

    @Test
    void appendsOrderedAgainstRealTime() {
        Op first = append(0, "a", 0, 10);
        Op second = h.unknown(1, Fn.APPEND, "l1", "b ", 20, 30);
        h.read(2, "l1", "b a c ", 40, 50);
        Op witness = h.read(2, "l1", "b a ", 35, 38);
        append(3, "c", 33, 39);
        h.finalRead(2, "l1", "b a c ", 60, 70);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(first, second, witness);
        assertThat(verdict.problems()).singleElement().asString()
                .contains("\"b\" comes before \"a\"", "#0 p0", "acknowledged before #1 p1");
    }

    @Test
    void finalReadMissesAnAcknowledgedAppend() {
        append(0, "a", 0, 10);
        Op lost = append(1, "b", 0, 100);
        Op finalRead = h.finalRead(2, "l1", "a ", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).containsExactly(lost, finalRead);
        assertThat(verdict.problems()).singleElement().asString().contains("lacks 1 acknowledged append(s): #1 p1");
    }

    @Test
    void noFinalReadLeavesTheVerdictUnknown() {
        append(0, "a", 0, 10);
        h.read(1, "l1", "a ", 20, 30);
        h.unknown(1, Fn.READ, "l1", null, 40, 50);
        h.unknown(2, Fn.APPEND, "l2", "x ", 0, 10);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.UNKNOWN);
        assertThat(verdict.evidence()).isEmpty();
        assertThat(verdict.problems()).singleElement().asString()
                .isEqualTo("key l1: no final read succeeded, so whether its 1 acknowledged appends survived"
                        + " is unknown");
    }

    @Test
    void violationWinsOverAMissingFinalRead() {
        append(0, "a", 0, 10);
        h.read(1, "l1", "a a ", 20, 30);

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.problems()).hasSize(2);
        assertThat(verdict.problems().get(1)).contains("no final read succeeded");
    }

    @Test
    void problemsAreCapped() {
        h.unknown(0, Fn.APPEND, "l1", "a ", 0, 10);
        for (int i = 0; i < 30; i++) {
            h.read(1, "l1", "a a ", 20 + 20 * i, 30 + 20 * i);
        }

        WorkloadVerdict verdict = check(h.all());

        assertThat(verdict.problems()).hasSize(Findings.MAX_PROBLEMS + 1);
        assertThat(verdict.problems().get(Findings.MAX_PROBLEMS)).isEqualTo("... and 10 more");
    }

    @Test
    void repeatedTokenIsARunnerBug() {
        append(0, "a", 0, 10);
        append(1, "a", 0, 10);

        assertThatThrownBy(() -> check(h.all())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("appended twice");
    }

    @Test
    @Timeout(60)
    void largeRandomHistoryIsValid() {
        List<Op> ops = RandomHistories.generate(Workload.APPEND, 11, 20, 50_000, 100);

        WorkloadVerdict verdict = check(ops);

        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.validity()).isEqualTo(Validity.VALID);
    }

    @Test
    @Timeout(60)
    void largeRandomHistoryLosingATokenIsInvalid() {
        List<Op> ops = new ArrayList<>(RandomHistories.generate(Workload.APPEND, 12, 20, 50_000, 100));
        Op finalRead = ops.stream().filter(op -> op.key().equals("a0") && op.isFinal()).findFirst().orElseThrow();
        List<String> tokens = new ArrayList<>(OpText.tokens(finalRead.result()));
        String lostToken = tokens.stream().filter(t -> ops.stream().anyMatch(op -> op.fn() == Fn.APPEND && op.ok()
                && OpText.token(op.value()).equals(t))).findFirst().orElseThrow();
        tokens.remove(lostToken);
        Op damaged = RegisterCheckerTest.withResult(finalRead, String.join(" ", tokens) + " ");
        ops.set(ops.indexOf(finalRead), damaged);

        WorkloadVerdict verdict = check(ops);

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.evidence()).contains(damaged);
    }
}
