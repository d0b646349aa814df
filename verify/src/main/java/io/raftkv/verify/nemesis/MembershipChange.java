package io.raftkv.verify.nemesis;

import java.time.Duration;
import java.util.Set;

/** One change the membership nemesis makes to the cluster's configuration, one server at a time (thesis §4.1). */
public sealed interface MembershipChange {
    /** The nodes it takes away while it runs, to be claimed in the fault budget first. */
    Set<String> takes();

    /**
     * A spare identity joins with {@code --join}: added as a learner, it catches up and is then
     * promoted to voter (thesis §4.2.1).
     */
    record Grow(String spare) implements MembershipChange {
        @Override
        public Set<String> takes() {
            return Set.of();
        }
    }

    /**
     * {@code RAFT REMOVE} of a voter, the leader itself sometimes (thesis §4.2.2: it steps down once
     * the configuration without it commits). The removed server then stays up for
     * {@code leftRunning} (zero: stopped at once) before it is stopped and wiped; while it runs
     * it must not disrupt the cluster (thesis §4.2.3).
     */
    record Shrink(String voter, boolean leader, Duration leftRunning) implements MembershipChange {
        @Override
        public Set<String> takes() {
            return Set.of(voter);
        }
    }

    /**
     * A voter's disk is lost: kill -9, wipe its data directory, {@code RAFT REMOVE} it, and start it
     * again with the same id as a new server with {@code --join}, until it is a voter again.
     */
    record Replace(String voter, boolean leader) implements MembershipChange {
        @Override
        public Set<String> takes() {
            return Set.of(voter);
        }
    }

    /** {@code RAFT TRANSFER-LEADER} to another voter (thesis §3.10). */
    record Transfer(String from, String to) implements MembershipChange {
        @Override
        public Set<String> takes() {
            return Set.of();
        }
    }
}
