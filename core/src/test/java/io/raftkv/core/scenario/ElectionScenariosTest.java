package io.raftkv.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.message.RequestVoteRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Elections on a whole cluster (paper §5.2, thesis §9.6, §6.2). The harness checks Election
 * Safety and committed-prefix agreement after every event.
 */
class ElectionScenariosTest {
    private static final int ELECTION_TICKS = 15;

    /** §5.2: a fresh cluster elects one leader that every node follows, within a few election timeouts. */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {1, 3, 5, 7})
    void initialElection(int voters) {
        TestCluster cluster = TestCluster.builder().voterCount(voters).seed(voters).build();

        String leader = cluster.awaitLeader(6 * ELECTION_TICKS);

        assertThat(cluster.leaders()).containsExactly(leader);
        long term = cluster.core(leader).currentTerm();
        for (String id : cluster.ids()) {
            assertThat(cluster.core(id).currentTerm()).isEqualTo(term);
            assertThat(cluster.core(id).leaderId()).hasToString(leader);
        }
    }

    /** §5.2: when the leader is lost the others elect a new one in a later term; on return the old one follows it. */
    @Test
    void reElectionAfterLeaderIsLost() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(2).build();
        String first = cluster.awaitLeader(100);
        long firstTerm = cluster.core(first).currentTerm();

        cluster.isolate(first);
        cluster.runUntil("a new leader among the others", 6 * ELECTION_TICKS,
                () -> cluster.leader() != null && !cluster.leader().equals(first));
        String second = cluster.leader();
        assertThat(cluster.core(second).currentTerm()).isGreaterThan(firstTerm);

        cluster.heal();
        String leader = cluster.awaitLeader(6 * ELECTION_TICKS);
        assertThat(cluster.leaders()).containsExactly(leader);
        assertThat(cluster.core(first).role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(cluster.core(first).leaderId()).hasToString(leader);
    }

    /** §5.2: without a majority nobody becomes leader, however long it tries; with pre-vote, no term rises either. */
    @Test
    void noLeaderWithoutQuorum() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(3).build();
        String leader = cluster.awaitLeader(100);
        long term = cluster.core(leader).currentTerm();
        List<String> followers = cluster.ids().stream().filter(id -> !id.equals(leader)).toList();
        cluster.isolate(followers.get(0));
        cluster.isolate(followers.get(1));

        cluster.runTicks(20 * ELECTION_TICKS);

        assertThat(cluster.leaders()).isEmpty();
        for (String id : cluster.ids()) {
            assertThat(cluster.core(id).currentTerm()).as(id).isEqualTo(term);
        }

        cluster.heal();
        assertThat(cluster.awaitLeader(6 * ELECTION_TICKS)).isNotNull();
    }

    /**
     * §5.2, Figure 3 Election Safety: under churn — a random node, or the leader, isolated every
     * few timeouts, over many seeds — there is at most one leader per term throughout, and the
     * cluster still elects leaders and commits.
     */
    @Test
    void manyElectionsUnderChurn() {
        for (long seed = 1; seed <= 25; seed++) {
            TestCluster cluster = TestCluster.builder().voterCount(5).seed(seed).build();
            SplittableRandom random = cluster.random();
            int committedProposals = 0;
            for (int epoch = 0; epoch < 12; epoch++) {
                cluster.heal();
                List<String> victims = new ArrayList<>(cluster.ids());
                String leader = cluster.leader();
                if (leader != null && random.nextBoolean()) {
                    cluster.isolate(leader);
                } else {
                    cluster.isolate(victims.get(random.nextInt(victims.size())));
                }
                if (random.nextInt(3) == 0) {
                    cluster.isolate(victims.get(random.nextInt(victims.size())));
                }
                for (int t = 0; t < 4 * ELECTION_TICKS; t++) {
                    cluster.runTicks(1);
                    String l = cluster.leader();
                    if (l != null && t % 7 == 0
                            && cluster.propose(l, "s" + seed + "e" + epoch + "t" + t) instanceof ProposeResult.Accepted) {
                        committedProposals++;
                    }
                }
            }
            cluster.heal();
            String leader = cluster.awaitLeader(10 * ELECTION_TICKS);
            cluster.propose(leader, "final");
            cluster.awaitConvergence(10 * ELECTION_TICKS);
            assertThat(cluster.checker().leaderOfTerm()).as("seed %d elected leaders", seed).hasSizeGreaterThan(2);
            assertThat(committedProposals).as("seed %d accepted proposals", seed).isPositive();
            for (String id : cluster.ids()) {
                assertThat(cluster.appliedCommands(id)).as("seed %d node %s", seed, id)
                        .isEqualTo(cluster.appliedCommands(cluster.ids().get(0)));
            }
        }
    }

    /**
     * Thesis §9.6, R-ELECT-8: a node partitioned away for many election timeouts does not raise
     * its term, and when it rejoins the healthy leader keeps its leadership and term — with
     * check-quorum (leader lease) or without it (pre-vote alone). The worst timing is forced: the
     * outsider's pre-vote reaches the others right after the partition heals, before any heartbeat
     * has reached the outsider.
     */
    @ParameterizedTest(name = "checkQuorum={0}")
    @ValueSource(booleans = {true, false})
    void preVoteStopsARejoiningNodeFromDeposingTheLeader(boolean checkQuorum) {
        TestCluster cluster = TestCluster.builder().voterCount(3).checkQuorum(checkQuorum).seed(4).build();
        String leader = cluster.awaitLeader(100);
        long term = cluster.core(leader).currentTerm();
        String outsider = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();

        cluster.isolate(outsider);
        cluster.runTicks(20 * ELECTION_TICKS);
        assertThat(cluster.core(outsider).currentTerm()).as("the outsider's term").isEqualTo(term);

        cluster.heal();
        cluster.dropInFlight();
        for (int t = 0; t < 2 * ELECTION_TICKS && cluster.inFlight().stream().noneMatch(RequestVoteRequest.class::isInstance); t++) {
            cluster.tick(outsider, 1);
        }
        assertThat(cluster.inFlight()).as("the outsider campaigns as soon as it rejoins")
                .anyMatch(RequestVoteRequest.class::isInstance);
        cluster.stabilize();
        cluster.runTicks(10 * ELECTION_TICKS);

        assertThat(cluster.leaders()).containsExactly(leader);
        assertThat(cluster.core(leader).currentTerm()).isEqualTo(term);
        assertThat(cluster.core(outsider).leaderId()).hasToString(leader);
        assertThat(cluster.checker().leaderOfTerm()).hasSize(1);
    }

    /**
     * Contrast for the test above: with neither pre-vote nor check-quorum, the partitioned node's
     * term rises while it is away and its return deposes the leader (paper §9.6 motivation). This
     * shows the test above can tell the difference.
     */
    @Test
    void withoutPreVoteARejoiningNodeDisruptsTheLeader() {
        TestCluster cluster = TestCluster.builder().voterCount(3).preVote(false).checkQuorum(false).seed(4).build();
        String leader = cluster.awaitLeader(100);
        long term = cluster.core(leader).currentTerm();
        String outsider = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();

        cluster.isolate(outsider);
        cluster.runTicks(20 * ELECTION_TICKS);
        assertThat(cluster.core(outsider).currentTerm()).isGreaterThan(term + 5);

        cluster.heal();
        String after = cluster.awaitLeader(10 * ELECTION_TICKS);
        assertThat(cluster.core(after).currentTerm()).isGreaterThan(term);
    }

    /**
     * §5.2 under a one-way partition: the leader's messages are lost but it still hears others.
     * The followers elect a new leader; the old one learns the higher term from the messages it
     * still receives and steps down, so there is never more than one leader per term.
     */
    @Test
    void leaderWhoseMessagesAreLostIsReplaced() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(5).build();
        String old = cluster.awaitLeader(100);
        long oldTerm = cluster.core(old).currentTerm();

        cluster.dropMessagesFrom(old);
        cluster.runUntil("a new leader", 6 * ELECTION_TICKS, () -> cluster.leader() != null && !cluster.leader().equals(old));
        cluster.runTicks(ELECTION_TICKS);

        assertThat(cluster.core(old).role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(cluster.core(old).currentTerm()).isGreaterThan(oldTerm);
        assertThat(cluster.leaders()).hasSize(1).doesNotContain(old);

        cluster.heal();
        cluster.dropMessagesTo(cluster.leader()); // now the reverse: the new leader hears nobody
        cluster.runTicks(4 * ELECTION_TICKS);
        assertThat(cluster.leaders()).hasSizeLessThanOrEqualTo(1);
        cluster.heal();
        cluster.awaitLeader(6 * ELECTION_TICKS);
    }

    /**
     * R-ELECT-9, thesis §6.2: a leader cut off with a minority steps down within about an election
     * timeout, while the majority elects a new leader; writes to the old leader are refused.
     */
    @Test
    void checkQuorumMakesAMinorityLeaderStepDown() {
        TestCluster cluster = TestCluster.builder().voterCount(5).seed(6).build();
        String old = cluster.awaitLeader(100);
        long oldTerm = cluster.core(old).currentTerm();
        List<String> others = cluster.ids().stream().filter(id -> !id.equals(old)).toList();
        cluster.partition(Set.of(old, others.get(0)), Set.of(others.get(1), others.get(2), others.get(3)));

        cluster.runTicks(2 * ELECTION_TICKS);

        assertThat(cluster.core(old).role()).isNotEqualTo(RaftRole.LEADER);
        assertThat(cluster.core(old).currentTerm()).isEqualTo(oldTerm);
        assertThat(cluster.propose(old, "lost")).isInstanceOf(ProposeResult.NotLeader.class);
        cluster.runUntil("a majority leader", 6 * ELECTION_TICKS, () -> cluster.leader() != null);
        assertThat(cluster.core(cluster.leader()).currentTerm()).isGreaterThan(oldTerm);
        assertThat(List.of(others.get(1), others.get(2), others.get(3))).contains(cluster.leader());

        cluster.heal();
        String leader = cluster.awaitLeader(6 * ELECTION_TICKS);
        assertThat(cluster.leaders()).containsExactly(leader);
    }

    /** With check-quorum off, the same minority leader stays leader (in its old term) until it hears of the new one. */
    @Test
    void withoutCheckQuorumAMinorityLeaderStaysLeader() {
        TestCluster cluster = TestCluster.builder().voterCount(5).checkQuorum(false).seed(6).build();
        String old = cluster.awaitLeader(100);
        List<String> others = cluster.ids().stream().filter(id -> !id.equals(old)).toList();
        cluster.partition(Set.of(old, others.get(0)), Set.of(others.get(1), others.get(2), others.get(3)));

        cluster.runTicks(6 * ELECTION_TICKS);

        assertThat(cluster.core(old).role()).isEqualTo(RaftRole.LEADER);
        Map<String, Long> terms = new HashMap<>();
        cluster.leaders().forEach(l -> terms.put(l, cluster.core(l).currentTerm()));
        assertThat(terms).hasSize(2);
        assertThat(terms.values()).doesNotHaveDuplicates();
    }
}
