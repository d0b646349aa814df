package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.BrokenCores;
import org.junit.jupiter.api.Test;

/**
 * The simulator has teeth: cores with one deliberately broken safety rule must be caught within a
 * bounded number of seeds. Runs are deterministic, so each bound is exact for this simulator; it is
 * set well above the first failing seed so that ordinary changes to the fault schedule keep it.
 */
class SimulatorCatchesBrokenCoresTest {
    private static final int SEED_BOUND = 200;

    private static SimRunner.Summary runUntilFirstViolation(CoreFactory broken) throws InterruptedException {
        return runUntilFirstViolation(broken, SimConfig.defaults(1, 3));
    }

    private static SimRunner.Summary runUntilFirstViolation(CoreFactory broken, SimConfig template)
            throws InterruptedException {
        return new SimRunner(template, broken, 2).run(1, SEED_BOUND, 1, null);
    }

    /** Paper §5.4.2, Figure 8: counting replicas of an entry from an earlier term must not commit it. */
    @Test
    void catchesCommittingAnEarlierTermEntryByCountingReplicas() throws InterruptedException {
        SimRunner.Summary summary = runUntilFirstViolation(BrokenCores.commitsEarlierTermEntriesByCounting());

        assertThat(summary.failed()).as("violations within %d seeds", SEED_BOUND).isNotEmpty();
        assertThat(summary.failed().get(0).property()).isIn("Leader Completeness", "State Machine Safety",
                "Linearizability", "Core assertion");
    }

    /** Paper §5.4.1: granting votes without the up-to-date check elects leaders missing committed entries. */
    @Test
    void catchesGrantingVotesWithoutTheUpToDateCheck() throws InterruptedException {
        SimRunner.Summary summary = runUntilFirstViolation(BrokenCores.grantsVotesWithoutUpToDateCheck());

        assertThat(summary.failed()).as("violations within %d seeds", SEED_BOUND).isNotEmpty();
        assertThat(summary.failed().get(0).property()).isIn("Leader Completeness", "State Machine Safety",
                "Log Matching", "Linearizability", "Core assertion");
    }

    /** R-ELECT-4: a vote sent before it is durable can be cast again after a crash. */
    @Test
    void catchesAnsweringAVoteBeforePersistingIt() throws InterruptedException {
        SimRunner.Summary summary = runUntilFirstViolation(BrokenCores.votesBeforePersisting());

        assertThat(summary.failed()).as("violations within %d seeds", SEED_BOUND).isNotEmpty();
        assertThat(summary.failed().get(0).property()).startsWith("Election Safety");
    }

    /**
     * R-MEMB-1, thesis §4.1: a second configuration change appended while the first is uncommitted
     * can leave two configurations in use whose majorities do not overlap; the operator's "two
     * changes at once" makes the broken core do it.
     */
    @Test
    void catchesTwoUncommittedConfigurationChangesAtOnce() throws InterruptedException {
        SimRunner.Summary summary = runUntilFirstViolation(BrokenCores.changesConfigurationWhileAChangeIsPending(),
                SimConfig.defaults(1, 3).withMembership(SimConfig.Membership.SOME_SEEDS));

        assertThat(summary.failed()).as("violations within %d seeds", SEED_BOUND).isNotEmpty();
        assertThat(summary.failed().get(0).property()).isIn("Leader Completeness", "State Machine Safety",
                "Log Matching", "Election Safety", "Linearizability");
    }

    /** Thesis §4.2.1: learners must never count towards commitment; with two of them a voter minority would commit. */
    @Test
    void catchesLearnersCountedForCommitment() throws InterruptedException {
        SimRunner.Summary summary = runUntilFirstViolation(BrokenCores.countsLearnersForCommitment(),
                SimConfig.defaults(1, 3).withMembership(SimConfig.Membership.SOME_SEEDS));

        assertThat(summary.failed()).as("violations within %d seeds", SEED_BOUND).isNotEmpty();
        assertThat(summary.failed().get(0).property()).isIn("Leader Completeness", "State Machine Safety",
                "Log Matching", "Linearizability");
    }
}
