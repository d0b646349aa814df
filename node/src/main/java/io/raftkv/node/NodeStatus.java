package io.raftkv.node;

import io.raftkv.core.NodeId;
import io.raftkv.core.RaftRole;
import java.util.Map;

/**
 * A snapshot of one node's state for status displays (R-OPS-3).
 *
 * @param id               this node
 * @param role             its role now
 * @param term             its current term
 * @param leaderId         the leader it knows of, or null
 * @param commitIndex      highest index known committed
 * @param appliedIndex     highest index applied to the state machine
 * @param lastIndex        last log index
 * @param snapshotIndex    last index covered by the newest snapshot (0 if none)
 * @param matchIndex       leader only: each follower's match index
 * @param lastContactMillis leader only: milliseconds since each follower last answered
 * @param voters           current voters
 * @param learners         current learners
 * @param memberAddresses  the Raft address each member was added with, as the configuration carries it
 */
public record NodeStatus(NodeId id, RaftRole role, long term, NodeId leaderId, long commitIndex, long appliedIndex,
                         long lastIndex, long snapshotIndex, Map<NodeId, Long> matchIndex,
                         Map<NodeId, Long> lastContactMillis, java.util.Set<NodeId> voters,
                         java.util.Set<NodeId> learners, Map<NodeId, String> memberAddresses) {}
