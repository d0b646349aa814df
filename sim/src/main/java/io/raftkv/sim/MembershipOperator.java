package io.raftkv.sim;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.ConfigChange;
import io.raftkv.core.NodeId;
import io.raftkv.core.PeerStatus;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.TransferResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The cluster's operator, acting through the leader's membership API as the node runtime's
 * commands would (thesis ch. 4, §3.10, R-MEMB-1..3, R-ELECT-10). Every 100-700 ms of the fault phase
 * it asks the current leader to do one of:
 * <ul>
 *   <li>add a server outside the configuration (a spare, or one removed earlier) as a learner;</li>
 *   <li>promote a learner the leader reports caught up (the runtime's auto-promotion), and now and
 *       then one that is not, which must be refused;</li>
 *   <li>remove a learner or a voter, the leader itself included (thesis §4.2.2), keeping at least
 *       {@code minVoters} voters;</li>
 *   <li>transfer leadership to another voter;</li>
 *   <li>make two changes at once: the second must be refused while the first is pending (R-MEMB-1);
 *       a core that accepted both would risk two disjoint majorities, which the checker would see.</li>
 * </ul>
 * Removed servers are left running, so that they can try to disrupt the cluster (thesis §4.2.3).
 */
final class MembershipOperator {
    private final List<SimNode> nodes;
    private final EventQueue events;
    private final SplittableRandom random;
    private final TraceBuffer trace;
    private final SimStats stats;
    private final int minVoters;
    private boolean active = true;
    /** The target of the latest transfer and the term it started in, to count completed transfers. */
    private NodeId transferTarget;
    private long transferTerm;

    MembershipOperator(List<SimNode> nodes, EventQueue events, SplittableRandom random, TraceBuffer trace,
                       SimStats stats, int minVoters) {
        this.nodes = nodes;
        this.events = events;
        this.random = random;
        this.trace = trace;
        this.stats = stats;
        this.minVoters = minVoters;
    }

    void start() {
        stats.membershipChanges = true;
        events.after(200 + random.nextInt(500), new SimEvent.MembershipStep());
    }

    /** No more changes: the fault phase is over. Changes under way complete on their own. */
    void stop() {
        active = false;
    }

    void step() {
        if (!active) {
            return;
        }
        events.after(100 + random.nextInt(600), new SimEvent.MembershipStep());
        SimNode leader = leader();
        if (leader == null) {
            return;
        }
        ClusterConfig config = leader.core().clusterConfig();
        int dice = random.nextInt(20);
        if (dice < 5) {
            List<NodeId> outside = outside(config);
            if (!outside.isEmpty()) {
                propose(leader, new ConfigChange.AddLearner(pick(outside)));
            }
        } else if (dice < 10) {
            promote(leader, config);
        } else if (dice < 14) {
            List<NodeId> removable = removable(config, 0);
            if (!removable.isEmpty()) {
                // The leader itself a quarter of the time when it may go: the interesting case (thesis §4.2.2).
                boolean self = removable.contains(leader.id()) && random.nextInt(4) == 0;
                propose(leader, new ConfigChange.RemoveServer(self ? leader.id() : pick(removable)));
            }
        } else if (dice < 17) {
            transfer(leader, config);
        } else {
            twoAtOnce(leader, config);
        }
    }

    private void promote(SimNode leader, ClusterConfig config) {
        List<NodeId> caughtUp = new ArrayList<>();
        for (Map.Entry<NodeId, PeerStatus> e : leader.core().peerStatus().entrySet()) {
            if (!e.getValue().voter() && e.getValue().caughtUp()) {
                caughtUp.add(e.getKey());
            }
        }
        if (!caughtUp.isEmpty()) {
            propose(leader, new ConfigChange.PromoteLearner(pick(caughtUp)));
        } else if (!config.learners().isEmpty() && random.nextInt(3) == 0) {
            propose(leader, new ConfigChange.PromoteLearner(pick(new ArrayList<>(config.learners()))));
        }
    }

    private void transfer(SimNode leader, ClusterConfig config) {
        List<NodeId> others = new ArrayList<>(config.voters());
        others.remove(leader.id());
        if (others.isEmpty()) {
            return;
        }
        NodeId target = pick(others);
        TransferResult result = leader.transferLeadership(target);
        note(leader, "transfer leadership to " + target, result);
        if (result instanceof TransferResult.Started) {
            stats.transfersStarted++;
            transferTarget = target;
            transferTerm = leader.core().currentTerm();
        }
    }

    /**
     * Two changes in one go (R-MEMB-1 must refuse the second), both changing the voters when
     * possible: two such changes in force at once are what single-server changes must never allow.
     */
    private void twoAtOnce(SimNode leader, ClusterConfig config) {
        List<ConfigChange> changes = new ArrayList<>();
        for (NodeId voter : removable(config, 1)) {
            if (config.isVoter(voter)) {
                changes.add(new ConfigChange.RemoveServer(voter));
            }
        }
        for (Map.Entry<NodeId, PeerStatus> e : leader.core().peerStatus().entrySet()) {
            if (!e.getValue().voter() && e.getValue().caughtUp()) {
                changes.add(new ConfigChange.PromoteLearner(e.getKey()));
            }
        }
        if (changes.size() < 2) {
            for (NodeId outside : outside(config)) {
                changes.add(new ConfigChange.AddLearner(outside));
            }
        }
        if (changes.size() < 2) {
            return;
        }
        ConfigChange first = changes.remove(random.nextInt(changes.size()));
        ConfigChange second = changes.get(random.nextInt(changes.size()));
        propose(leader, first);
        if (leader.isUp() && leader.core().role() == RaftRole.LEADER) {
            propose(leader, second);
        }
    }

    private void propose(SimNode leader, ConfigChange change) {
        boolean removesItself = change instanceof ConfigChange.RemoveServer && change.node().equals(leader.id());
        ProposeResult result = leader.proposeConfigChange(change);
        note(leader, change.toString(), result);
        if (result instanceof ProposeResult.Accepted) {
            if (change instanceof ConfigChange.AddLearner) {
                stats.learnersAdded++;
            } else if (change instanceof ConfigChange.PromoteLearner) {
                stats.promotions++;
            } else {
                stats.removals++;
                stats.leaderRemovals += removesItself ? 1 : 0;
            }
        } else if (result instanceof ProposeResult.ConfigChangeRefused refused) {
            switch (refused.reason()) {
                case CHANGE_PENDING -> stats.refusedPending++;
                case NOT_CAUGHT_UP -> stats.refusedNotCaughtUp++;
                default -> stats.refusedOther++;
            }
        } else if (result instanceof ProposeResult.AlreadyDone) {
            stats.alreadyDone++;
        } else {
            stats.refusedOther++;
        }
    }

    /** Called when a node has just become leader: counts a completed transfer. */
    void onNewLeader(SimNode node) {
        if (node.id().equals(transferTarget) && node.core().currentTerm() > transferTerm) {
            stats.transfersCompleted++;
            transferTarget = null;
        }
    }

    /** Servers outside the configuration: spares and removed servers. */
    private List<NodeId> outside(ClusterConfig config) {
        List<NodeId> out = new ArrayList<>();
        for (SimNode node : nodes) {
            if (!config.isMember(node.id())) {
                out.add(node.id());
            }
        }
        return out;
    }

    /** Learners, and voters while more than {@code minVoters + reserve} remain. */
    private List<NodeId> removable(ClusterConfig config, int reserve) {
        List<NodeId> out = new ArrayList<>(config.learners());
        if (config.voters().size() > minVoters + reserve) {
            out.addAll(config.voters());
        }
        return out;
    }

    private SimNode leader() {
        SimNode leader = null;
        for (SimNode node : nodes) {
            if (node.isUp() && node.core().role() == RaftRole.LEADER
                    && (leader == null || node.core().currentTerm() > leader.core().currentTerm())) {
                leader = node;
            }
        }
        return leader;
    }

    private NodeId pick(List<NodeId> ids) {
        return ids.get(random.nextInt(ids.size()));
    }

    private void note(SimNode leader, String what, Object result) {
        trace.add(events.now(), "MEMBERSHIP at leader " + leader.id() + ": " + what + " -> " + result);
    }
}
