package io.raftkv.verify.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.cluster.FaultBudget;
import io.raftkv.verify.nemesis.MembershipPlanner.Kind;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipPlannerTest {
    private static ClusterView view(String leader, List<String> voters, List<String> spares, Set<String> unavailable) {
        return new ClusterView(leader, voters, List.of(), spares, unavailable);
    }

    @Test
    void neverShrinksBelowThreeVoters() {
        ClusterView three = view("n1", List.of("n1", "n2", "n3"), List.of("n4", "n5"), Set.of());
        for (int seed = 0; seed < 200; seed++) {
            assertThat(MembershipPlanner.plan(Kind.SHRINK, three, new Random(seed))).isEmpty();
            assertThat(MembershipPlanner.plan(Kind.SHRINK_LEADER, three, new Random(seed))).isEmpty();
            assertThat(MembershipPlanner.any(three, new Random(seed)))
                    .get().isNotInstanceOf(MembershipChange.Shrink.class);
        }
    }

    @Test
    void shrinksFromFourTakingTheLeaderOnlyWhenAsked() {
        ClusterView four = view("n2", List.of("n1", "n2", "n3", "n4"), List.of("n5"), Set.of());
        MembershipChange.Shrink leader = (MembershipChange.Shrink) MembershipPlanner.plan(Kind.SHRINK_LEADER, four,
                new Random(1)).orElseThrow();
        assertThat(leader.voter()).isEqualTo("n2");
        assertThat(leader.leader()).isTrue();
        for (int seed = 0; seed < 50; seed++) {
            MembershipChange.Shrink other = (MembershipChange.Shrink) MembershipPlanner.plan(Kind.SHRINK, four,
                    new Random(seed)).orElseThrow();
            assertThat(other.voter()).isNotEqualTo("n2");
            assertThat(other.leader()).isFalse();
            assertThat(other.leftRunning()).isLessThanOrEqualTo(MembershipPlanner.MAX_LEFT_RUNNING);
        }
    }

    @Test
    void takesNoVoterWhenOtherFaultsLeaveNoRoom() {
        // Five voters, two taken by a kill: a third would leave no majority.
        ClusterView five = view("n1", List.of("n1", "n2", "n3", "n4", "n5"), List.of(), Set.of("n4", "n5"));
        assertThat(MembershipPlanner.plan(Kind.SHRINK, five, new Random(3))).isEmpty();
        assertThat(MembershipPlanner.plan(Kind.REPLACE, five, new Random(3))).isEmpty();
        // Three voters, one down: replacing another would leave one of three.
        ClusterView three = view("n1", List.of("n1", "n2", "n3"), List.of("n4"), Set.of("n3"));
        assertThat(MembershipPlanner.plan(Kind.REPLACE, three, new Random(3))).isEmpty();
        // Growing and transferring take nothing away.
        assertThat(MembershipPlanner.plan(Kind.GROW, three, new Random(3))).contains(new MembershipChange.Grow("n4"));
        assertThat(MembershipPlanner.plan(Kind.TRANSFER, three, new Random(3)))
                .contains(new MembershipChange.Transfer("n1", "n2"));
    }

    @Test
    void neverTargetsAnUnavailableVoter() {
        ClusterView five = view("n1", List.of("n1", "n2", "n3", "n4", "n5"), List.of(), Set.of("n2"));
        for (int seed = 0; seed < 200; seed++) {
            Optional<MembershipChange> change = MembershipPlanner.any(five, new Random(seed));
            assertThat(change).isPresent();
            Set<String> touched = new HashSet<>(change.get().takes());
            if (change.get() instanceof MembershipChange.Transfer transfer) {
                touched.add(transfer.to());
            }
            assertThat(touched).doesNotContain("n2");
        }
    }

    @Test
    void anyChangeKeepsAMajorityOfTheVotersAvailable() {
        Random random = new Random(2026);
        for (int round = 0; round < 2_000; round++) {
            int size = 3 + random.nextInt(4);
            List<String> voters = new java.util.ArrayList<>();
            for (int i = 1; i <= size; i++) {
                voters.add("n" + i);
            }
            Set<String> unavailable = new HashSet<>();
            for (String voter : voters) {
                if (random.nextInt(4) == 0) {
                    unavailable.add(voter);
                }
            }
            ClusterView view = view("n1", voters, random.nextBoolean() ? List.of("n9") : List.of(), unavailable);
            Optional<MembershipChange> change = MembershipPlanner.any(view, random);
            if (change.isEmpty()) {
                continue;
            }
            Set<String> gone = new HashSet<>(unavailable);
            gone.addAll(change.get().takes());
            List<String> after = change.get() instanceof MembershipChange.Shrink shrink
                    ? voters.stream().filter(v -> !v.equals(shrink.voter())).toList() : voters;
            assertThat(after.size()).isGreaterThanOrEqualTo(change.get() instanceof MembershipChange.Shrink
                    ? MembershipPlanner.MIN_VOTERS : size);
            long up = after.stream().filter(v -> !gone.contains(v)).count();
            if (!change.get().takes().isEmpty()) {
                assertThat(up).as("%s with %s unavailable", change.get(), unavailable).isGreaterThan(after.size() / 2);
                assertThat(FaultBudget.room(voters, unavailable)).isPositive();
            }
        }
    }

    @Test
    void waitsWhileALearnerCatchesUp() {
        ClusterView joining = new ClusterView("n1", List.of("n1", "n2", "n3"), List.of("n4"), List.of("n5"), Set.of());
        assertThat(MembershipPlanner.plan(Kind.GROW, joining, new Random(1))).isEmpty();
        assertThat(MembershipPlanner.plan(Kind.REPLACE, joining, new Random(1))).isEmpty();
        assertThat(MembershipPlanner.plan(Kind.TRANSFER, joining, new Random(1))).isPresent();
    }

    @Test
    void aScriptRunsItsStepsInOrderOnceEach() {
        MembershipNemesis.Step grow = MembershipNemesis.Step.of(Kind.GROW);
        MembershipNemesis.Step shrink = MembershipNemesis.Step.shrinkLeavingRunning(Duration.ofSeconds(3));
        ClusterView four = view("n1", List.of("n1", "n2", "n3", "n4"), List.of("n5"), Set.of());
        assertThat(shrink.plan(four, new Random(1))).get()
                .matches(c -> ((MembershipChange.Shrink) c).leftRunning().equals(Duration.ofSeconds(3)));
        assertThat(grow.plan(four, new Random(1))).contains(new MembershipChange.Grow("n5"));
    }
}
