package io.raftkv.core;

import io.raftkv.sim.CoreFactory;
import java.util.HashSet;
import java.util.Set;

/**
 * Cores with one deliberately broken safety rule, for proving that the simulator catches each.
 * It lives in the core's package, in test code, because the rule switch is package-private:
 * no user-visible option can reach it.
 */
public final class BrokenCores {
    private BrokenCores() {}

    /** Commits an entry of an earlier term by counting replicas: the Figure 8 bug (paper §5.4.2). */
    public static CoreFactory commitsEarlierTermEntriesByCounting() {
        return (config, random, initial) -> new RaftCore(config, random, initial, new Rules() {
            @Override
            public boolean mayCommitByCounting(long entryTerm, long currentTerm) {
                return true;
            }
        });
    }

    /** Grants votes without the election restriction (paper §5.4.1). */
    public static CoreFactory grantsVotesWithoutUpToDateCheck() {
        return (config, random, initial) -> new RaftCore(config, random, initial, new Rules() {
            @Override
            public boolean grantsVoteTo(RaftLog log, long candidateLastIndex, long candidateLastTerm) {
                return true;
            }
        });
    }

    /** Sends a vote grant before the vote is durable (R-ELECT-4). */
    public static CoreFactory votesBeforePersisting() {
        return (config, random, initial) -> new RaftCore(config, random, initial, new Rules() {
            @Override
            public boolean voteGrantWaitsForPersist() {
                return false;
            }
        });
    }

    /**
     * Appends a configuration change while another is uncommitted (breaks R-MEMB-1, thesis §4.1): two
     * changes in a row can leave configurations whose majorities do not overlap.
     */
    public static CoreFactory changesConfigurationWhileAChangeIsPending() {
        return (config, random, initial) -> new RaftCore(config, random, initial, new Rules() {
            @Override
            public boolean configChangeWaitsForCommit() {
                return false;
            }
        });
    }

    /**
     * Counts learners' acknowledgements towards commitment as if they voted (thesis §4.2.1 forbids
     * it): with two learners a leader can commit with a minority of the voters.
     */
    public static CoreFactory countsLearnersForCommitment() {
        return (config, random, initial) -> new RaftCore(config, random, initial, new Rules() {
            @Override
            public ClusterConfig commitQuorum(ClusterConfig inForce) {
                Set<NodeId> everyone = new HashSet<>(inForce.voters());
                everyone.addAll(inForce.learners());
                return ClusterConfig.ofVoters(everyone);
            }
        });
    }

    /** The standard rules, to override one at a time. */
    private static class Rules implements SafetyRules {
        @Override
        public boolean grantsVoteTo(RaftLog log, long candidateLastIndex, long candidateLastTerm) {
            return SafetyRules.STANDARD.grantsVoteTo(log, candidateLastIndex, candidateLastTerm);
        }

        @Override
        public boolean mayCommitByCounting(long entryTerm, long currentTerm) {
            return SafetyRules.STANDARD.mayCommitByCounting(entryTerm, currentTerm);
        }

        @Override
        public boolean voteGrantWaitsForPersist() {
            return SafetyRules.STANDARD.voteGrantWaitsForPersist();
        }

        @Override
        public boolean configChangeWaitsForCommit() {
            return SafetyRules.STANDARD.configChangeWaitsForCommit();
        }

        @Override
        public ClusterConfig commitQuorum(ClusterConfig inForce) {
            return SafetyRules.STANDARD.commitQuorum(inForce);
        }
    }
}
