package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.Membership;
import io.raftkv.verify.cluster.ServerProcess;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Changes the cluster's membership while it serves clients: grows it with spare identities,
 * shrinks it (the leader sometimes), replaces a voter whose disk was lost, transfers leadership.
 * It runs on a schedule of its own, so its changes overlap the kills and partitions of the other
 * nemeses (issue: "add/remove/replace nodes while other faults run"); the cluster's
 * {@link io.raftkv.verify.cluster.FaultBudget} keeps the two from taking a majority of the voters
 * together. A change is a fault from its start until it has finished; there is nothing to heal.
 */
public final class MembershipNemesis implements Nemesis {
    /** Chooses the next change from what the cluster looks like now. */
    public interface Chooser {
        /** The next change, or empty if none should or can be made now. */
        Optional<MembershipChange> next(ClusterView view, Random random);
    }

    /**
     * What one change did, for tests and for reading a run.
     *
     * @param after       the configuration once it finished, or null if no leader answered then
     * @param leftRunning the term check of a removed server left running
     */
    public record Outcome(MembershipChange change, String description, Membership after,
                          TermWhileLeftRunning leftRunning) {}

    /**
     * The cluster's term when a removed server was left running and when it was stopped (thesis
     * §4.2.3: a removed server must not raise it). Both -1 when the server was stopped at once.
     */
    public record TermWhileLeftRunning(long before, long after) {
        static final TermWhileLeftRunning NONE = new TermWhileLeftRunning(-1, -1);
    }

    private final Chooser chooser;
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

    private MembershipNemesis(Chooser chooser) {
        this.chooser = chooser;
    }

    /** Changes chosen at random among those the guards of {@link MembershipPlanner} allow. */
    public static MembershipNemesis random() {
        return new MembershipNemesis(MembershipPlanner::any);
    }

    /**
     * One step of a script: a kind of change, its target chosen as the random nemesis would.
     *
     * @param leftRunning for a shrink, how long the removed server stays up; null to let the planner choose
     */
    public record Step(MembershipPlanner.Kind kind, Duration leftRunning) {
        public static Step of(MembershipPlanner.Kind kind) {
            return new Step(kind, null);
        }

        /** A shrink of a voter that is not the leader, which then stays up for {@code leftRunning}. */
        public static Step shrinkLeavingRunning(Duration leftRunning) {
            return new Step(MembershipPlanner.Kind.SHRINK, leftRunning);
        }

        Optional<MembershipChange> plan(ClusterView view, Random random) {
            Optional<MembershipChange> change = MembershipPlanner.plan(kind, view, random);
            if (leftRunning != null && change.isPresent() && change.get() instanceof MembershipChange.Shrink shrink) {
                return Optional.of(new MembershipChange.Shrink(shrink.voter(), shrink.leader(), leftRunning));
            }
            return change;
        }
    }

    /**
     * The changes of {@code steps}, in order, each made as soon as the guards allow it; nothing
     * once they are done. For tests that need a known sequence under the same machinery.
     */
    public static MembershipNemesis scripted(List<Step> steps) {
        Deque<Step> left = new ArrayDeque<>(steps);
        return new MembershipNemesis((view, random) -> {
            if (left.isEmpty()) {
                return Optional.empty();
            }
            Optional<MembershipChange> change = left.peekFirst().plan(view, random);
            change.ifPresent(c -> left.pollFirst());
            return change;
        });
    }

    @Override
    public String name() {
        return "membership";
    }

    @Override
    public boolean ownSchedule() {
        return true;
    }

    /** Every change made so far, in order. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    @Override
    public Fault inject(LocalCluster cluster, Random random) throws Exception {
        Optional<Membership> now = cluster.membership();
        if (now.isEmpty()) {
            return null; // an election is running: try again after the next quiet period
        }
        Membership membership = now.get();
        Set<String> down = cluster.down();
        Set<String> unavailable = new HashSet<>(cluster.budget().claimed());
        unavailable.addAll(down);
        ClusterView view = new ClusterView(membership.leader(), membership.voters(), membership.learners(),
                cluster.spares().stream().map(ServerProcess::id).toList(), unavailable);
        Optional<MembershipChange> change = chooser.next(view, random);
        if (change.isEmpty()
                || !cluster.budget().tryClaim(name(), change.get().takes(), membership.voters(), down)) {
            return null;
        }
        MembershipOperations operations = new MembershipOperations(cluster, name());
        MembershipOperations.Result result;
        try {
            result = operations.apply(change.get());
        } catch (Exception | Error e) {
            cluster.budget().release(change.get().takes());
            throw e;
        }
        return new MembershipFault(result.description(), () -> {
            String more;
            try {
                more = result.finish().call();
            } finally {
                cluster.budget().release(result.keepClaimed() ? Set.of() : change.get().takes());
            }
            outcomes.add(new Outcome(change.get(), result.description() + (more.isEmpty() ? "" : "; " + more),
                    cluster.membership().orElse(null), result.leftRunning().get()));
            return more;
        });
    }
}
