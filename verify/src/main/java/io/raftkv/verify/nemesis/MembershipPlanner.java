package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.FaultBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Chooses membership changes that keep the cluster able to make progress: never fewer than
 * {@value #MIN_VOTERS} voters, never a voter taken away unless a majority of the voters stays
 * available with it gone (see {@link FaultBudget}), and no change while a learner is still
 * catching up (one change at a time, thesis §4.1). Pure: the same view and seed give the same choice.
 */
public final class MembershipPlanner {
    /** Three voters tolerate one failure; fewer would make every other fault an outage. */
    public static final int MIN_VOTERS = 3;
    /** How long a removed server may be left running, at most, to show it cannot disrupt (thesis §4.2.3). */
    static final Duration MAX_LEFT_RUNNING = Duration.ofSeconds(6);

    /** The kinds of change, for scripts and for the random choice. */
    public enum Kind { GROW, SHRINK, SHRINK_LEADER, REPLACE, TRANSFER }

    private MembershipPlanner() {
    }

    /** A change chosen at random among the kinds possible now, or empty if none is. */
    public static Optional<MembershipChange> any(ClusterView view, Random random) {
        List<MembershipChange> possible = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            plan(kind, view, random).ifPresent(possible::add);
        }
        return possible.isEmpty() ? Optional.empty() : Optional.of(possible.get(random.nextInt(possible.size())));
    }

    /** A change of {@code kind}, if the guards allow one now. */
    public static Optional<MembershipChange> plan(Kind kind, ClusterView view, Random random) {
        if (!view.learners().isEmpty() && kind != Kind.TRANSFER) {
            return Optional.empty();
        }
        List<String> available = view.availableVoters();
        boolean canTakeOne = FaultBudget.room(view.voters(), view.unavailable()) >= 1;
        return switch (kind) {
            case GROW -> view.spares().isEmpty() ? Optional.empty()
                    : Optional.of(new MembershipChange.Grow(pick(view.spares(), random)));
            case SHRINK, SHRINK_LEADER -> {
                if (view.voters().size() <= MIN_VOTERS || !canTakeOne) {
                    yield Optional.empty();
                }
                boolean leader = kind == Kind.SHRINK_LEADER;
                List<String> targets = available.stream().filter(v -> v.equals(view.leader()) == leader).toList();
                if (targets.isEmpty()) {
                    yield Optional.empty();
                }
                // Half of the removed servers stay up a while: they must not disrupt (§4.2.3).
                Duration leftRunning = random.nextBoolean() ? Duration.ZERO
                        : Duration.ofMillis(2_000 + random.nextInt((int) MAX_LEFT_RUNNING.toMillis() - 2_000 + 1));
                yield Optional.of(new MembershipChange.Shrink(pick(targets, random), leader, leftRunning));
            }
            case REPLACE -> {
                if (!canTakeOne || available.isEmpty()) {
                    yield Optional.empty();
                }
                String voter = pick(available, random);
                yield Optional.of(new MembershipChange.Replace(voter, voter.equals(view.leader())));
            }
            case TRANSFER -> {
                List<String> targets = available.stream().filter(v -> !v.equals(view.leader())).toList();
                yield view.leader() == null || targets.isEmpty() ? Optional.empty()
                        : Optional.of(new MembershipChange.Transfer(view.leader(), pick(targets, random)));
            }
        };
    }

    private static String pick(List<String> ids, Random random) {
        return ids.get(random.nextInt(ids.size()));
    }
}
