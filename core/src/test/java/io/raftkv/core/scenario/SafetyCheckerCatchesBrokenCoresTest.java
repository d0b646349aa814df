package io.raftkv.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.BrokenCoreFactories;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.CoreFactory;
import io.raftkv.core.harness.TestCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenario tests can fail: with one safety rule broken on purpose, the same scenarios end in
 * a safety violation that the harness (or the core's own assertions) reports.
 */
class SafetyCheckerCatchesBrokenCoresTest {
    private static final int ELECTION_TICKS = 15;

    /** Figure 8 with commit-by-counting for any term: S1 commits 2@2, which S5 then overwrites. */
    @Test
    void figure8WithTheWrongCommitRuleIsCaught() {
        TestCluster cluster = Figure8ScenarioTest.stateC(BrokenCoreFactories.commitByCountingAnyTerm());
        assertThat(cluster.core("n1").log().commitIndex()).as("the broken rule commits 2@2").isEqualTo(2);

        assertThatThrownBy(() -> {
            cluster.crash("n1");
            cluster.heal();
            cluster.restart("n5");
            for (int attempt = 0; attempt < 4 && cluster.core("n5").role() != RaftRole.LEADER; attempt++) {
                cluster.tick("n5", 2 * ELECTION_TICKS);
                cluster.stabilize();
            }
            cluster.awaitConvergence(10 * ELECTION_TICKS);
        }).isInstanceOfAny(AssertionError.class, IllegalStateException.class)
                .hasMessageContainingAll("committed");
    }

    /** Without the election restriction, a stale node wins under churn and a committed entry is lost; some seed shows it. */
    @Test
    void churnWithoutTheElectionRestrictionIsCaught() {
        List<Throwable> caught = new ArrayList<>();
        for (long seed = 1; seed <= 30 && caught.isEmpty(); seed++) {
            TestCluster cluster = TestCluster.builder().voterCount(3).seed(seed)
                    .coreFactory(BrokenCoreFactories.noElectionRestriction()).build();
            try {
                for (int epoch = 0; epoch < 10; epoch++) {
                    cluster.heal();
                    String victim = cluster.ids().get(cluster.random().nextInt(3));
                    cluster.isolate(victim);
                    for (int t = 0; t < 3 * ELECTION_TICKS; t++) {
                        String leader = cluster.leader();
                        if (leader != null) {
                            cluster.propose(leader, "e" + epoch + "t" + t);
                        }
                        cluster.runTicks(1);
                    }
                }
            } catch (AssertionError | IllegalStateException e) {
                caught.add(e);
            }
        }
        assertThat(caught).as("a violation over 30 seeds").isNotEmpty();
    }

    /** The same churn with the real rules passes: the test above fails because of the broken rule, not the workload. */
    @Test
    void churnWithTheRealRulesIsSafe() {
        for (long seed = 1; seed <= 30; seed++) {
            TestCluster cluster = TestCluster.builder().voterCount(3).seed(seed).coreFactory(CoreFactory.STANDARD).build();
            for (int epoch = 0; epoch < 10; epoch++) {
                cluster.heal();
                String victim = cluster.ids().get(cluster.random().nextInt(3));
                cluster.isolate(victim);
                for (int t = 0; t < 3 * ELECTION_TICKS; t++) {
                    String leader = cluster.leader();
                    if (leader != null) {
                        cluster.propose(leader, "e" + epoch + "t" + t);
                    }
                    cluster.runTicks(1);
                }
            }
            assertThat(cluster.checker().highestCommitted()).as("seed %d commits", seed).isGreaterThan(50);
        }
    }
}
