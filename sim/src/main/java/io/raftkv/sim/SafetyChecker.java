package io.raftkv.sim;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.LogEntry;
import io.raftkv.core.LogView;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.core.message.RequestVoteResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the five safety properties of the paper's Figure 3 after every simulated event (R-LOG-6),
 * plus two invariants they rest on: one vote per server per term (R-ELECT-4) and terms that never
 * go back. A violation throws {@link SafetyViolation}.
 *
 * <p>To stay cheap it works incrementally: every log prefix is summarised by a chain hash
 * ({@code chain[i] = mix(chain[i-1], entry i)}), so two logs agree up to index i exactly when their
 * chain hashes at i agree, and each entry is hashed once per node.
 * <ul>
 *   <li><b>Election Safety</b>: at most one leader per term, over the whole run.</li>
 *   <li><b>Leader Append-Only</b>: while a node leads in a term, no entry of its log is replaced.</li>
 *   <li><b>Log Matching</b>: two logs holding an entry with the same index and term agree up to it:
 *       a global map from (index, term) to chain hash must never see two hashes.</li>
 *   <li><b>Leader Completeness</b>: an entry committed in term t is in the log of every leader of a
 *       later term. The term an index was committed in is approximated from above by the term of
 *       the first node seen committing it, which can only make the check weaker, never wrong.</li>
 *   <li><b>State Machine Safety</b>: no two nodes apply different entries at one index; a node's
 *       commit index never covers an entry different from the one committed there.</li>
 * </ul>
 */
final class SafetyChecker {
    private record IndexTerm(long index, long term) {}

    private record NodeTerm(NodeId node, long term) {}

    /** What the checker remembers of one node's log between events. */
    private static final class NodeTrack {
        long[] chain = new long[256];
        long[] termAt = new long[256];
        int[] dataHashAt = new int[256];
        long checkedUpTo;
        /** The node's log starts after this index (a snapshot covers the rest); its chain is the committed one. */
        long base;
        /** The entry object last seen at checkedUpTo; the same object needs no re-hashing. */
        LogEntry lastEntry;
        long seenTruncations = -1;
        int seenIncarnation = -1;
        long leaderTerm = -1;
        long leaderLastIndex;
        long lastTerm;
        long lastCommit;

        void ensure(long index) {
            if (index >= chain.length) {
                int size = (int) Math.max(index + 1, chain.length * 2L);
                chain = Arrays.copyOf(chain, size);
                termAt = Arrays.copyOf(termAt, size);
                dataHashAt = Arrays.copyOf(dataHashAt, size);
            }
        }
    }

    private final Map<NodeId, NodeTrack> tracks = new LinkedHashMap<>();
    private final Map<IndexTerm, Long> chainByIndexTerm = new HashMap<>();
    private final Map<Long, NodeId> leaderByTerm = new HashMap<>();
    private final Map<NodeTerm, NodeId> voteByNodeTerm = new HashMap<>();
    private long[] committedChain = new long[256];
    private long[] committedTerm = new long[256];
    /** Running maximum, over indexes up to i, of the term index i was first seen committed in. */
    private long[] committedInTermPrefixMax = new long[256];
    private long globalCommit;
    private long[] appliedHash = new long[256];
    private long appliedUpTo;
    private long lastPermanenceCheck;

    /** Runs every per-node check on a running node; call after each event for each node that is up. */
    void check(SimNode node) {
        RaftCore core = node.core();
        NodeTrack track = tracks.computeIfAbsent(node.id(), k -> new NodeTrack());
        boolean restarted = track.seenIncarnation != node.incarnation();
        if (restarted) {
            track.seenIncarnation = node.incarnation();
            track.leaderTerm = -1;
            track.lastCommit = 0;
            // A restart legitimately goes back to the durable term: a term adopted in memory but not
            // yet persisted promised nothing (the vote check below covers what was promised).
            track.lastTerm = 0;
        }
        if (core.currentTerm() < track.lastTerm) {
            throw new SafetyViolation("Term monotonicity", node.id() + " went from term " + track.lastTerm + " to "
                    + core.currentTerm() + " without restarting");
        }
        track.lastTerm = core.currentTerm();
        long divergedAt = updateChain(node.id(), track, core.log());
        checkElectionSafety(node.id(), core);
        checkLeaderAppendOnly(node.id(), core, track, divergedAt);
        checkCommit(node.id(), core, track);
        checkLeaderCompleteness(node.id(), core, track);
    }

    /** Brings the node's chain hashes up to date; returns the lowest index that changed since last time. */
    private long updateChain(NodeId id, NodeTrack track, LogView log) {
        long last = log.lastIndex();
        long base = log.firstIndex() - 1;
        track.ensure(Math.max(last, base));
        if (base > 0 && base != track.base) {
            // A snapshot replaced the entries up through base: it may only cover committed entries.
            if (base > globalCommit || committedTerm[(int) base] != log.snapshotTerm()) {
                throw new SafetyViolation("State Machine Safety", id + " holds a snapshot through " + base + "@"
                        + log.snapshotTerm() + " that does not match what was committed there (commit index "
                        + globalCommit + ")");
            }
            track.chain[(int) base] = committedChain[(int) base];
            track.termAt[(int) base] = log.snapshotTerm();
            track.base = base;
        }
        long k = Math.max(base, Math.min(track.checkedUpTo, last));
        boolean suspect = log.truncations() != track.seenTruncations || track.checkedUpTo > last
                || (k > base && log.entry(k) != track.lastEntry && !sameEntry(track, k, log.entry(k)));
        if (suspect) {
            while (k > base && !sameEntry(track, k, log.entry(k))) {
                k--;
            }
            track.seenTruncations = log.truncations();
        }
        long divergedAt = k + 1;
        for (long i = k + 1; i <= last; i++) {
            LogEntry e = log.entry(i);
            int dataHash = Arrays.hashCode(e.data());
            int at = (int) i;
            track.termAt[at] = e.term();
            track.dataHashAt[at] = dataHash;
            track.chain[at] = mix(track.chain[at - 1], e.term(), e.type().ordinal(), dataHash);
            Long previous = chainByIndexTerm.putIfAbsent(new IndexTerm(i, e.term()), track.chain[at]);
            if (previous != null && previous != track.chain[at]) {
                throw new SafetyViolation("Log Matching", id + " holds entry " + i + "@" + e.term()
                        + " but its log up to there differs from another node's with the same entry");
            }
        }
        track.checkedUpTo = last;
        track.lastEntry = last > base ? log.entry(last) : null;
        return divergedAt;
    }

    private static boolean sameEntry(NodeTrack track, long index, LogEntry e) {
        return track.termAt[(int) index] == e.term() && track.dataHashAt[(int) index] == Arrays.hashCode(e.data());
    }

    private static long mix(long previous, long term, int type, int dataHash) {
        long h = previous * 0x9E3779B97F4A7C15L + term * 0xC2B2AE3D27D4EB4FL + type * 0x165667B19E3779F9L + dataHash;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    private void checkElectionSafety(NodeId id, RaftCore core) {
        if (core.role() != RaftRole.LEADER) {
            return;
        }
        NodeId other = leaderByTerm.putIfAbsent(core.currentTerm(), id);
        if (other != null && !other.equals(id)) {
            throw new SafetyViolation("Election Safety", "term " + core.currentTerm() + " has two leaders: " + other
                    + " and " + id);
        }
    }

    private void checkLeaderAppendOnly(NodeId id, RaftCore core, NodeTrack track, long divergedAt) {
        if (core.role() != RaftRole.LEADER) {
            track.leaderTerm = -1;
            return;
        }
        if (track.leaderTerm == core.currentTerm() && divergedAt <= track.leaderLastIndex) {
            throw new SafetyViolation("Leader Append-Only", id + " leading term " + core.currentTerm()
                    + " changed its log at index " + divergedAt + " (last index was " + track.leaderLastIndex + ")");
        }
        track.leaderTerm = core.currentTerm();
        track.leaderLastIndex = core.log().lastIndex();
    }

    private void checkCommit(NodeId id, RaftCore core, NodeTrack track) {
        long commit = core.log().commitIndex();
        if (commit < track.lastCommit) {
            throw new SafetyViolation("Commit monotonicity", id + " commit index went from " + track.lastCommit + " to "
                    + commit);
        }
        track.lastCommit = commit;
        if (commit == 0) {
            return;
        }
        long agreedUpTo = Math.min(commit, globalCommit);
        if (agreedUpTo > track.base && track.chain[(int) agreedUpTo] != committedChain[(int) agreedUpTo]) {
            throw new SafetyViolation("State Machine Safety", id + " has committed up to " + commit
                    + " but its entries up to " + agreedUpTo + " differ from what was committed there before");
        }
        if (commit > globalCommit) {
            ensureCommitted(commit);
            long runningMax = committedInTermPrefixMax[(int) globalCommit];
            for (long i = globalCommit + 1; i <= commit; i++) {
                committedChain[(int) i] = track.chain[(int) i];
                committedTerm[(int) i] = track.termAt[(int) i];
                runningMax = Math.max(runningMax, core.currentTerm());
                committedInTermPrefixMax[(int) i] = runningMax;
            }
            globalCommit = commit;
        }
    }

    private void ensureCommitted(long index) {
        if (index >= committedChain.length) {
            int size = (int) Math.max(index + 1, committedChain.length * 2L);
            committedChain = Arrays.copyOf(committedChain, size);
            committedTerm = Arrays.copyOf(committedTerm, size);
            committedInTermPrefixMax = Arrays.copyOf(committedInTermPrefixMax, size);
        }
    }

    private void checkLeaderCompleteness(NodeId id, RaftCore core, NodeTrack track) {
        if (core.role() != RaftRole.LEADER || globalCommit == 0) {
            return;
        }
        long term = core.currentTerm();
        // Largest k with committedInTermPrefixMax[k] < term: every entry up to k was committed in an
        // earlier term, so this leader must hold all of them.
        long lo = 0;
        long hi = globalCommit;
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (committedInTermPrefixMax[(int) mid] < term) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo <= track.base) {
            return; // covered by this node's snapshot, which matched the committed entries
        }
        if (core.log().lastIndex() < lo || track.chain[(int) lo] != committedChain[(int) lo]) {
            throw new SafetyViolation("Leader Completeness", id + " leads term " + term
                    + " without the entries committed in earlier terms up to index " + lo);
        }
    }

    /**
     * Leader Completeness, looking forward: once index c is committed, no server without the
     * committed entry at c may be able to win an election, judged against the durable logs of the
     * voters (which a crash cannot take back). In Raft this holds at every moment after the commit:
     * a server lacking the entry has a log less up-to-date (§5.4.1) than every server of the
     * majority that stored it. A commit that breaks it can be undone by a later leader, as in the
     * paper's Figure 8, even if that leader is never elected in this run.
     *
     * <p>With membership changes a candidate counts votes in its own configuration: the one it runs
     * with (with its in-memory log) and the one it would restart with (with its durable log); a
     * server that is no voter there cannot campaign. Single-server changes, one at a time after the
     * leader's first commit of its term (thesis §4.1), keep every such majority overlapping the one
     * that stored the entry; two changes at once would not.
     */
    void checkCommitIsPermanent(List<SimNode> nodes) {
        if (globalCommit == 0 || globalCommit == lastPermanenceCheck) {
            return;
        }
        lastPermanenceCheck = globalCommit;
        long c = globalCommit;
        long termAtCommit = committedTerm[(int) c];
        for (SimNode candidate : nodes) {
            if (holdsCommitted(candidate, c, termAtCommit)) {
                continue;
            }
            ClusterConfig durableConfig = candidate.durableConfig();
            checkCannotWin(candidate, c, durableConfig, candidate.disk().lastTerm(), candidate.disk().lastIndex(), nodes);
            if (candidate.isUp()) {
                LogView log = candidate.core().log();
                long lastTerm = log.term(log.lastIndex());
                long lastIndex = log.lastIndex();
                ClusterConfig config = candidate.core().clusterConfig();
                if (isAfter(log, candidate.disk().lastTerm(), candidate.disk().lastIndex())
                        || !config.equals(durableConfig)) {
                    checkCannotWin(candidate, c, config, lastTerm, lastIndex, nodes);
                }
            }
        }
    }

    /** Fails if {@code candidate}, with a log ending at (lastIndex, lastTerm), could win a majority of {@code config}. */
    private static void checkCannotWin(SimNode candidate, long c, ClusterConfig config, long lastTerm, long lastIndex,
                                       List<SimNode> nodes) {
        if (!config.isVoter(candidate.id())) {
            return; // learners and servers outside the configuration never campaign
        }
        int votes = 0;
        for (SimNode voter : nodes) {
            if (!config.isVoter(voter.id())) {
                continue;
            }
            long voterTerm = voter.disk().lastTerm();
            long voterIndex = voter.disk().lastIndex();
            if (lastTerm > voterTerm || (lastTerm == voterTerm && lastIndex >= voterIndex)) {
                votes++;
            }
        }
        if (votes >= config.quorumSize()) {
            throw new SafetyViolation("Leader Completeness", "index " + c + " is committed, yet " + candidate.id()
                    + " (last entry " + lastIndex + "@" + lastTerm + ", configuration " + config + ") lacks it and"
                    + " could win the votes of a majority's durable logs");
        }
    }

    /** True if the node's durable or in-memory log holds the committed entry at {@code index}. */
    private boolean holdsCommitted(SimNode node, long index, long term) {
        if (index <= node.disk().snapshotIndex() || node.disk().termAt(index) == term) {
            return true;
        }
        NodeTrack track = tracks.get(node.id());
        return node.isUp() && track != null && track.checkedUpTo >= index
                && (index <= track.base || track.chain[(int) index] == committedChain[(int) index]);
    }

    private static boolean isAfter(LogView log, long term, long index) {
        long lastTerm = log.term(log.lastIndex());
        return lastTerm > term || (lastTerm == term && log.lastIndex() > index);
    }

    /** R-ELECT-4: a server grants at most one candidate its vote in a term, even across crashes. */
    void onSent(RaftMessage message) {
        if (message instanceof RequestVoteResponse r && r.voteGranted() && !r.preVote()) {
            NodeId previous = voteByNodeTerm.putIfAbsent(new NodeTerm(r.from(), r.term()), r.to());
            if (previous != null && !previous.equals(r.to())) {
                throw new SafetyViolation("Election Safety (one vote per term)", r.from() + " voted for " + previous
                        + " and for " + r.to() + " in term " + r.term());
            }
        }
    }

    /** State Machine Safety: every node applies the same entry at each index. */
    void onApplied(NodeId node, LogEntry entry) {
        long index = entry.index();
        long hash = mix(0, entry.term(), entry.type().ordinal(), Arrays.hashCode(entry.data()));
        if (index >= appliedHash.length) {
            appliedHash = Arrays.copyOf(appliedHash, (int) Math.max(index + 1, appliedHash.length * 2L));
        }
        if (index <= appliedUpTo) {
            if (appliedHash[(int) index] != hash) {
                throw new SafetyViolation("State Machine Safety", node + " applied " + entry
                        + " where another node applied a different entry");
            }
        } else {
            if (index != appliedUpTo + 1) {
                // Nodes apply in order, so the first application of each index arrives in order too.
                throw new SafetyViolation("State Machine Safety", node + " applied " + index + " before anyone applied "
                        + (appliedUpTo + 1));
            }
            appliedHash[(int) index] = hash;
            appliedUpTo = index;
        }
    }

    /** Term of the entry committed at {@code index}, or -1 if nothing is known committed there. */
    long committedTermAt(long index) {
        return index >= 1 && index <= globalCommit ? committedTerm[(int) index] : -1;
    }

    long globalCommit() {
        return globalCommit;
    }

    int termsWithLeader() {
        return leaderByTerm.size();
    }
}
