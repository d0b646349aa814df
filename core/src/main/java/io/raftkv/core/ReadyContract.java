package io.raftkv.core;

import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.ReadIndexResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;

/**
 * The core's side of the {@link Ready} contract: which messages may leave before the Ready that
 * carries them is durable, and the assertion, made on every Ready, that nothing leaves early that
 * promises durable state (paper Figure 2: "updated on stable storage before responding to RPCs").
 */
final class ReadyContract {
    private ReadyContract() {}

    /**
     * True if {@code m} promises nothing durable: a leader's AppendEntries, heartbeats, snapshot
     * chunks and TimeoutNow, pre-votes, read-index traffic. Vote grants, vote requests and append
     * acknowledgements wait for persistence.
     */
    static boolean mayLeaveBeforePersist(RaftMessage m, SafetyRules rules) {
        if (m instanceof AppendEntriesRequest || m instanceof HeartbeatRequest || m instanceof ReadIndexRequest
                || m instanceof ReadIndexResponse || m instanceof InstallSnapshotRequest || m instanceof TimeoutNow) {
            return true;
        }
        if (m instanceof RequestVoteRequest r) {
            return r.preVote();
        }
        if (m instanceof RequestVoteResponse r) {
            return r.preVote() || (r.voteGranted() && !rules.voteGrantWaitsForPersist());
        }
        return false;
    }

    /**
     * Asserts that what leaves before persisting promises nothing, and that every promise that leaves
     * after persisting is covered by state this or an earlier Ready makes durable: the hard state
     * {@code durable} and the entries up to {@code handedOutIndex}.
     */
    static void verify(Ready ready, NodeId id, HardState durable, long handedOutIndex, SafetyRules rules) {
        for (RaftMessage m : ready.messages()) {
            boolean voteGrant = m instanceof RequestVoteResponse r && r.voteGranted() && !r.preVote();
            boolean mayLeaveEarly = m instanceof AppendEntriesRequest || m instanceof HeartbeatRequest
                    || m instanceof ReadIndexRequest || m instanceof ReadIndexResponse
                    || m instanceof InstallSnapshotRequest || m instanceof TimeoutNow
                    || (m instanceof RequestVoteRequest r && r.preVote())
                    || (m instanceof RequestVoteResponse r && r.preVote())
                    || (voteGrant && !rules.voteGrantWaitsForPersist());
            if (!mayLeaveEarly) {
                violated("message may not leave before persisting: " + m);
            }
        }
        for (RaftMessage m : ready.messagesAfterPersist()) {
            // A promise made in term t is also covered when a later term is durable: this server then
            // never acts in term t again.
            long durableTerm = durable.currentTerm();
            if (m instanceof RequestVoteResponse r && r.voteGranted() && !r.preVote()) {
                if (!(durableTerm > r.term() || durableTerm == r.term() && r.to().equals(durable.votedFor()))) {
                    violated("vote grant " + m + " not covered by persisted " + durable);
                }
            } else if (m instanceof RequestVoteRequest r && !r.preVote()) {
                if (!(durableTerm > r.term() || durableTerm == r.term() && id.equals(durable.votedFor()))) {
                    violated("vote request " + m + " not covered by persisted " + durable);
                }
            } else if (m instanceof AppendEntriesResponse r && r.success()) {
                if (!(durableTerm > r.term() || r.matchIndex() <= handedOutIndex)) {
                    violated("append ack " + m + " beyond entries handed out for persistence " + handedOutIndex);
                }
            }
        }
    }

    private static void violated(String message) {
        throw new IllegalStateException("Ready contract violated: " + message);
    }
}
