package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void theSameSeedReplaysTheSameRun() {
        SimConfig config = SimConfig.defaults(42, 5).withEvents(8_000);

        SimResult first = new Simulation(config).run();
        SimResult second = new Simulation(config).run();

        assertThat(second.events()).isEqualTo(first.events());
        assertThat(second.simulatedMillis()).isEqualTo(first.simulatedMillis());
        assertThat(second.committed()).isEqualTo(first.committed());
        assertThat(second.terms()).isEqualTo(first.terms());
        assertThat(second.operations()).isEqualTo(first.operations());
        assertThat(second.completedOperations()).isEqualTo(first.completedOperations());
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        SimResult a = new Simulation(SimConfig.defaults(1, 3).withEvents(8_000)).run();
        SimResult b = new Simulation(SimConfig.defaults(2, 3).withEvents(8_000)).run();

        assertThat(a.simulatedMillis() != b.simulatedMillis() || a.committed() != b.committed()).isTrue();
    }

    @Test
    void withoutFaultsEveryOperationCompletesAndOneLeaderServesThroughout() {
        SimConfig calm = new SimConfig(7, 5, 10_000, 4, 3, false, 2_000, 100);

        SimResult result = new Simulation(calm).run();

        assertThat(result.ok()).as(result.violation()).isTrue();
        assertThat(result.terms()).isEqualTo(1);
        assertThat(result.faults()).isZero();
        assertThat(result.operations()).isGreaterThan(100);
        assertThat(result.completedOperations()).isEqualTo(result.operations());
    }

    @Test
    void underFaultsTheClusterStillMakesProgressAndElectsManyLeaders() {
        SimResult result = new Simulation(SimConfig.defaults(3, 5)).run();

        assertThat(result.ok()).as(result.violation()).isTrue();
        assertThat(result.faults()).isGreaterThan(5);
        assertThat(result.terms()).isGreaterThan(1);
        assertThat(result.committed()).isGreaterThan(50);
        assertThat(result.leaderAfterHealMillis()).isBetween(0L, 6_000L);
    }

    /**
     * Thesis ch. 4 and §3.10 under faults: servers are added, promoted once caught up, removed (the
     * leader too) and leadership moves, all replayed exactly from the seed, with no violation.
     */
    @Test
    void membershipChangesRunUnderFaultsAndReplay() {
        SimConfig config = SimConfig.defaults(5, 5).withEvents(10_000).withMembership(SimConfig.Membership.EVERY_SEED);

        SimResult first = new Simulation(config).run();
        SimResult second = new Simulation(config).run();

        assertThat(first.ok()).as(first.violation()).isTrue();
        assertThat(first.membership().seedsWithChanges()).isEqualTo(1);
        assertThat(first.membership().learnersAdded() + first.membership().removals()
                + first.membership().transfersStarted()).isGreaterThan(3);
        assertThat(second.membership()).isEqualTo(first.membership());
        assertThat(second.committed()).isEqualTo(first.committed());
        assertThat(second.events()).isEqualTo(first.events());
    }

    /** Seeds without membership changes do not even draw from the membership generator: they replay as before it existed. */
    @Test
    void seedsWithoutMembershipChangesAreUnaffected() {
        SimConfig never = SimConfig.defaults(11, 3).withEvents(5_000).withMembership(SimConfig.Membership.NEVER);
        SimResult result = new Simulation(never).run();

        assertThat(result.ok()).as(result.violation()).isTrue();
        assertThat(result.membership()).isEqualTo(MembershipCounts.NONE);
    }

    @Test
    void aFailureReportsTheSeedPropertyAndTrace() throws InterruptedException {
        SimRunner.Summary summary = new SimRunner(SimConfig.defaults(1, 3),
                io.raftkv.core.BrokenCores.grantsVotesWithoutUpToDateCheck(), 1).run(1, 50, 1, null);

        SimResult failure = summary.failed().get(0);
        assertThat(failure.ok()).isFalse();
        assertThat(failure.property()).isNotBlank();
        assertThat(failure.trace()).contains("t=").contains("state at failure");
    }
}
