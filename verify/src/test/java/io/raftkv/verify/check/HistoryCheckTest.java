package io.raftkv.verify.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Splitting a run's history by workload, and combining verdicts. */
class HistoryCheckTest {

    @Test
    void combineKeepsTheWorst() {
        assertThat(Validity.combine(Validity.VALID, Validity.VALID)).isEqualTo(Validity.VALID);
        assertThat(Validity.combine(Validity.VALID, Validity.UNKNOWN)).isEqualTo(Validity.UNKNOWN);
        assertThat(Validity.combine(Validity.INVALID, Validity.UNKNOWN)).isEqualTo(Validity.INVALID);
        assertThat(Validity.combine(Validity.UNKNOWN, Validity.INVALID)).isEqualTo(Validity.INVALID);
        assertThat(Validity.combine(List.of())).isEqualTo(Validity.VALID);
        assertThat(Validity.combine(List.of(Validity.VALID, Validity.UNKNOWN, Validity.VALID)))
                .isEqualTo(Validity.UNKNOWN);
    }

    @Test
    void eachWorkloadGoesToItsOwnChecker() {
        Ops register = new Ops(Workload.REGISTER);
        register.ok(0, Fn.WRITE, "r1", "a", null, 0, 10);
        register.read(0, "r1", "a", 20, 30);
        Ops counter = new Ops(Workload.COUNTER);
        Op bad = counter.ok(1, Fn.INCR, "c1", null, "7", 0, 10);
        List<Op> all = new ArrayList<>(register.all());
        all.addAll(counter.all());

        List<WorkloadVerdict> verdicts = HistoryCheck.checkAll(all, EnumSet.allOf(Workload.class),
                Duration.ofSeconds(5));

        assertThat(verdicts).extracting(WorkloadVerdict::workload)
                .containsExactly(Workload.REGISTER, Workload.APPEND, Workload.COUNTER);
        assertThat(verdicts).extracting(WorkloadVerdict::validity)
                .containsExactly(Validity.VALID, Validity.VALID, Validity.INVALID);
        assertThat(verdicts.get(2).evidence()).containsExactly(bad);
        assertThat(HistoryCheck.overall(verdicts)).isEqualTo(Validity.INVALID);
    }

    @Test
    void workloadsNotAskedForAreIgnored() {
        Ops counter = new Ops(Workload.COUNTER);
        counter.ok(1, Fn.INCR, "c1", null, "7", 0, 10);

        List<WorkloadVerdict> verdicts = HistoryCheck.checkAll(counter.all(), Set.of(Workload.REGISTER),
                Duration.ofSeconds(5));

        assertThat(verdicts).singleElement().extracting(WorkloadVerdict::validity).isEqualTo(Validity.VALID);
    }
}
