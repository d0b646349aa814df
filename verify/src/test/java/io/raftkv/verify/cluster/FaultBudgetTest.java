package io.raftkv.verify.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultBudgetTest {
    private static final List<String> THREE = List.of("n1", "n2", "n3");
    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    @Test
    void roomIsAMinorityLessWhatIsAlreadyUnavailable() {
        assertThat(FaultBudget.room(THREE, Set.of())).isEqualTo(1);
        assertThat(FaultBudget.room(List.of("n1", "n2", "n3", "n4"), Set.of())).isEqualTo(1);
        assertThat(FaultBudget.room(FIVE, Set.of())).isEqualTo(2);
        assertThat(FaultBudget.room(FIVE, Set.of("n1"))).isEqualTo(1);
        assertThat(FaultBudget.room(THREE, Set.of("n1"))).isZero();
        assertThat(FaultBudget.room(THREE, Set.of("n1", "n2"))).isZero();
        // Nodes that are not voters (learners, spares) do not count.
        assertThat(FaultBudget.room(THREE, Set.of("n4"))).isEqualTo(1);
    }

    @Test
    void concurrentClaimsNeverTakeAMajorityOfTheVoters() {
        FaultBudget budget = new FaultBudget();
        assertThat(budget.tryClaim("kill", Set.of("n1"), FIVE, Set.of())).isTrue();
        assertThat(budget.tryClaim("membership", Set.of("n2", "n3"), FIVE, Set.of())).isFalse();
        assertThat(budget.claimed()).containsExactly("n1");
        assertThat(budget.tryClaim("membership", Set.of("n2"), FIVE, Set.of())).isTrue();
        assertThat(budget.tryClaim("partition", Set.of("n3"), FIVE, Set.of())).isFalse();
        budget.release(Set.of("n1"));
        assertThat(budget.tryClaim("partition", Set.of("n3"), FIVE, Set.of())).isTrue();
    }

    @Test
    void aNodeIsClaimedByOneFaultAtATime() {
        FaultBudget budget = new FaultBudget();
        assertThat(budget.tryClaim("kill", Set.of("n1"), FIVE, Set.of())).isTrue();
        assertThat(budget.tryClaim("membership", Set.of("n1"), FIVE, Set.of())).isFalse();
    }

    @Test
    void nodesThatAreDownCountAgainstTheBudget() {
        FaultBudget budget = new FaultBudget();
        assertThat(budget.tryClaim("kill", Set.of("n2"), THREE, Set.of("n1"))).isFalse();
        // Claiming a node that is down already takes nothing more away.
        assertThat(budget.tryClaim("membership", Set.of("n1"), THREE, Set.of("n1"))).isTrue();
    }

    @Test
    void claimsOfNonVotersAreFree() {
        FaultBudget budget = new FaultBudget();
        assertThat(budget.tryClaim("kill", Set.of("n1"), THREE, Set.of())).isTrue();
        assertThat(budget.tryClaim("membership", Set.of("n4"), THREE, Set.of())).isTrue();
    }
}
