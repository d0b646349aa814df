package io.raftkv.core;

/**
 * The decisions on which Raft's safety argument rests, gathered in one place so the
 * simulator's own tests can swap in a deliberately broken variant and prove the simulator catches
 * it. Package-private: no user-visible option reaches it; {@link #STANDARD} is the only rule set the
 * public constructor of {@link RaftCore} uses.
 */
interface SafetyRules {
    /** Election restriction (paper §5.4.1): grant a vote only to a candidate at least as up-to-date. */
    boolean grantsVoteTo(RaftLog log, long candidateLastIndex, long candidateLastTerm);

    /** Commit rule (paper §5.4.2, Figure 8): count replicas only for an entry of the current term. */
    boolean mayCommitByCounting(long entryTerm, long currentTerm);

    /** Vote grants leave only after the vote is durable (paper Figure 2, R-ELECT-4). */
    boolean voteGrantWaitsForPersist();

    /**
     * Single-server membership changes, one at a time: a change waits until the previous
     * configuration entry is committed (thesis §4.1, R-MEMB-1).
     */
    boolean configChangeWaitsForCommit();

    /**
     * The configuration whose voters decide commitment (paper §5.3): the one in force; learners
     * never count (thesis §4.2.1).
     */
    ClusterConfig commitQuorum(ClusterConfig inForce);

    SafetyRules STANDARD = new SafetyRules() {
        @Override
        public boolean grantsVoteTo(RaftLog log, long candidateLastIndex, long candidateLastTerm) {
            return log.isUpToDate(candidateLastIndex, candidateLastTerm);
        }

        @Override
        public boolean mayCommitByCounting(long entryTerm, long currentTerm) {
            return entryTerm == currentTerm;
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
    };
}
