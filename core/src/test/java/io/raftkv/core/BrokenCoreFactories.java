package io.raftkv.core;

import io.raftkv.core.harness.CoreFactory;

/**
 * Cores with one safety rule deliberately broken, so tests can prove that the harness's
 * checker catches the violations the real rules prevent. Lives in the core's package because
 * {@link SafetyRules} and the constructor that takes it are package-private.
 */
public final class BrokenCoreFactories {
    private BrokenCoreFactories() {}

    /** Commits an entry of any term once a majority stores it: the mistake of paper Figure 8. */
    public static CoreFactory commitByCountingAnyTerm() {
        return (config, random, initial) -> new RaftCore(config, random, initial, new SafetyRules() {
            @Override
            public boolean grantsVoteTo(RaftLog log, long candidateLastIndex, long candidateLastTerm) {
                return SafetyRules.STANDARD.grantsVoteTo(log, candidateLastIndex, candidateLastTerm);
            }

            @Override
            public boolean mayCommitByCounting(long entryTerm, long currentTerm) {
                return true;
            }

            @Override
            public boolean voteGrantWaitsForPersist() {
                return true;
            }

            @Override
            public boolean configChangeWaitsForCommit() {
                return true;
            }

            @Override
            public ClusterConfig commitQuorum(ClusterConfig inForce) {
                return inForce;
            }
        });
    }

    /** Votes for any candidate, however stale its log: no election restriction (paper §5.4.1). */
    public static CoreFactory noElectionRestriction() {
        return (config, random, initial) -> new RaftCore(config, random, initial, new SafetyRules() {
            @Override
            public boolean grantsVoteTo(RaftLog log, long candidateLastIndex, long candidateLastTerm) {
                return true;
            }

            @Override
            public boolean mayCommitByCounting(long entryTerm, long currentTerm) {
                return SafetyRules.STANDARD.mayCommitByCounting(entryTerm, currentTerm);
            }

            @Override
            public boolean voteGrantWaitsForPersist() {
                return true;
            }

            @Override
            public boolean configChangeWaitsForCommit() {
                return true;
            }

            @Override
            public ClusterConfig commitQuorum(ClusterConfig inForce) {
                return inForce;
            }
        });
    }
}
