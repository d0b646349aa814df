package io.raftkv.kv;

import java.util.Objects;

/** A cluster administration request of the {@code RAFT} command, naming one server by its id. */
public sealed interface AdminRequest {
    /** The server the request is about. */
    String node();

    /** {@code RAFT TRANSFER-LEADER id}: hand leadership to that voter (thesis §3.10). */
    record TransferLeader(String node) implements AdminRequest {
        public TransferLeader {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * {@code RAFT ADD-LEARNER id host:port}: add a server as a learner that peers reach at
     * {@code raftAddress} (thesis §4.2.1); it receives the log but does not vote until promoted.
     */
    record AddLearner(String node, String raftAddress) implements AdminRequest {
        public AddLearner {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(raftAddress, "raftAddress");
        }
    }

    /** {@code RAFT PROMOTE id}: make a caught-up learner a voter (thesis §4.2.1). */
    record Promote(String node) implements AdminRequest {
        public Promote {
            Objects.requireNonNull(node, "node");
        }
    }

    /** {@code RAFT REMOVE id}: remove a voter or a learner, the leader included (thesis §4.2.2). */
    record Remove(String node) implements AdminRequest {
        public Remove {
            Objects.requireNonNull(node, "node");
        }
    }
}
