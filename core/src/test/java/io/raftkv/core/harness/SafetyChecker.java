package io.raftkv.core.harness;

import io.raftkv.core.LogEntry;
import io.raftkv.core.LogView;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the safety properties of paper Figure 3 on a {@link TestCluster} after every event:
 * Election Safety (at most one leader per term), Leader Append-Only, State Machine Safety (all
 * committed and applied entries agree by index), Leader Completeness (a new leader holds every
 * entry committed in an earlier term), terms that never decrease within an incarnation; and, when asked, Log Matching.
 * A violation throws {@link AssertionError} at once, naming the nodes involved.
 *
 * <p>Compacted logs (paper §7): entries a node's snapshot covers are no longer in its log; they
 * are checked through its state machine instead, which holds every applied entry (a snapshot's
 * entries are reported as applied when it is installed or restored).
 */
public final class SafetyChecker {
    private record LeaderWatch(long term, int incarnation, long truncations, long lastIndex) {}

    private final Map<Long, NodeId> leaderOfTerm = new HashMap<>();
    /** Every entry known to be committed, by index. */
    private final Map<Long, LogEntry> committed = new HashMap<>();
    /** The term of the server that first reported each committed index: an upper bound of its commit term. */
    private final Map<Long, Long> termWhenCommitSeen = new HashMap<>();
    private final Map<NodeId, Long> highestTerm = new HashMap<>();
    private final Map<NodeId, Long> commitChecked = new HashMap<>();
    private final Map<NodeId, LeaderWatch> leaderWatch = new HashMap<>();
    private long highestCommitted;

    /** Checks one running node after it handled an event. */
    public void check(TestNode node) {
        RaftCore core = node.core();
        NodeId id = node.id();
        long term = core.currentTerm();
        Long previousTerm = highestTerm.put(id, term);
        if (previousTerm != null && term < previousTerm) {
            throw new AssertionError(id + ": currentTerm went back from " + previousTerm + " to " + term);
        }
        LogView log = core.log();
        if (log.commitIndex() > log.lastIndex()) {
            throw new AssertionError(id + ": commitIndex " + log.commitIndex() + " beyond last index " + log.lastIndex());
        }
        long checked = commitChecked.getOrDefault(id, 0L);
        if (log.commitIndex() < checked) {
            throw new AssertionError(id + ": commitIndex went back from " + checked + " to " + log.commitIndex());
        }
        // Entries below the log's first index are covered by the snapshot, checked when it was applied.
        for (long i = Math.max(checked + 1, log.firstIndex()); i <= log.commitIndex(); i++) {
            recordCommitted(id, log.entry(i), term);
        }
        commitChecked.put(id, log.commitIndex());
        if (core.role() == RaftRole.LEADER) {
            checkLeader(node, core, term);
        } else {
            leaderWatch.remove(id);
        }
    }

    private void checkLeader(TestNode node, RaftCore core, long term) {
        NodeId id = node.id();
        NodeId other = leaderOfTerm.putIfAbsent(term, id);
        if (other != null && !other.equals(id)) {
            throw new AssertionError("Election Safety violated: " + other + " and " + id + " both lead term " + term);
        }
        LeaderWatch watch = leaderWatch.get(id);
        LogView log = core.log();
        if (watch == null || watch.term() != term || watch.incarnation() != node.incarnation()) {
            checkLeaderCompleteness(node, log, term);
        } else if (log.truncations() != watch.truncations() || log.lastIndex() < watch.lastIndex()) {
            throw new AssertionError("Leader Append-Only violated: leader " + id + " of term " + term
                    + " deleted entries (last index " + watch.lastIndex() + " -> " + log.lastIndex() + ")");
        }
        leaderWatch.put(id, new LeaderWatch(term, node.incarnation(), log.truncations(), log.lastIndex()));
    }

    private void checkLeaderCompleteness(TestNode node, LogView log, long term) {
        NodeId id = node.id();
        for (long i = 1; i <= highestCommitted; i++) {
            if (termWhenCommitSeen.get(i) >= term) {
                continue; // possibly committed in this term or later: not covered by the property
            }
            LogEntry known = committed.get(i);
            // A compacted entry is held in the leader's state machine, which its snapshot restored.
            LogEntry held = i < log.firstIndex() ? node.appliedEntry(i) : log.lastIndex() < i ? null : log.entry(i);
            if (!known.equals(held)) {
                throw new AssertionError("Leader Completeness violated: leader " + id + " of term " + term
                        + " lacks committed entry " + known);
            }
        }
    }

    /** A node applied {@code entry} to its state machine (State Machine Safety). */
    public void onApply(TestNode node, LogEntry entry) {
        recordCommitted(node.id(), entry, node.core().currentTerm());
    }

    /** A restarted node starts a new incarnation whose commit index begins at its durable value. */
    public void onRestart(NodeId id) {
        // A term or commit index that was never persisted is lost in a crash; nothing that depends on
        // it left the server (the Ready contract), so monotonicity is checked per incarnation.
        highestTerm.remove(id);
        commitChecked.remove(id);
        leaderWatch.remove(id);
    }

    private void recordCommitted(NodeId id, LogEntry entry, long term) {
        LogEntry known = committed.putIfAbsent(entry.index(), entry);
        if (known == null) {
            termWhenCommitSeen.put(entry.index(), term);
            highestCommitted = Math.max(highestCommitted, entry.index());
        } else if (!known.equals(entry)) {
            throw new AssertionError("State Machine Safety violated at index " + entry.index() + ": committed "
                    + known + " elsewhere, but " + id + " committed or applied " + entry);
        }
    }

    /**
     * Log Matching (paper §5.3): two logs with an equal (index, term) are identical up to that index;
     * checked over the entries both logs still hold.
     */
    public void checkLogMatching(Collection<TestNode> nodes) {
        List<TestNode> up = nodes.stream().filter(TestNode::isUp).toList();
        for (int a = 0; a < up.size(); a++) {
            for (int b = a + 1; b < up.size(); b++) {
                checkPair(up.get(a), up.get(b));
            }
        }
    }

    private static void checkPair(TestNode a, TestNode b) {
        LogView la = a.core().log();
        LogView lb = b.core().log();
        long firstHeldByBoth = Math.max(la.firstIndex(), lb.firstIndex());
        long i = Math.min(la.lastIndex(), lb.lastIndex());
        while (i >= firstHeldByBoth && la.term(i) != lb.term(i)) {
            i--;
        }
        for (long j = i; j >= firstHeldByBoth; j--) {
            if (!la.entry(j).equals(lb.entry(j))) {
                throw new AssertionError("Log Matching violated: " + a.id() + " and " + b.id() + " agree at index "
                        + i + " but differ at " + j + ": " + la.entry(j) + " vs " + lb.entry(j));
            }
        }
    }

    /** Every entry known to be committed, by index. */
    public Map<Long, LogEntry> committed() {
        return Map.copyOf(committed);
    }

    public long highestCommitted() {
        return highestCommitted;
    }

    /** Terms that had a leader, with the leader. */
    public Map<Long, NodeId> leaderOfTerm() {
        return Map.copyOf(leaderOfTerm);
    }
}
