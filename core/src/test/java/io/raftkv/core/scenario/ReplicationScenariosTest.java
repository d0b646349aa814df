package io.raftkv.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.LogEntry;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.RaftMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Log replication on a whole cluster (paper §5.3, §5.4). The harness checks Election Safety,
 * Leader Append-Only, Leader Completeness and committed-prefix agreement after every event, and
 * Log Matching after every tick.
 */
class ReplicationScenariosTest {
    private static final int ELECTION_TICKS = 15;
    private static final int HEARTBEAT_TICKS = 3;

    private static List<String> commands(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private static List<String> followersOf(TestCluster cluster, String leader) {
        return cluster.ids().stream().filter(id -> !id.equals(leader)).toList();
    }

    /** §5.3: commands proposed at the leader are applied on every node, in proposal order. */
    @Test
    void basicAgreement() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(21).build();
        String leader = cluster.awaitLeader(100);

        for (String c : commands("c", 10)) {
            assertThat(cluster.propose(leader, c)).isInstanceOf(ProposeResult.Accepted.class);
            cluster.stabilize();
        }

        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).as(id).containsExactlyElementsOf(commands("c", 10));
        }
    }

    /**
     * §5.3: with one follower cut off, the majority still commits; when it reconnects, the leader
     * brings it up to date ("the leader retries AppendEntries RPCs indefinitely", R-LOG-4).
     */
    @Test
    void agreementWithOneFollowerDisconnected() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(22).build();
        String leader = cluster.awaitLeader(100);
        String lagging = followersOf(cluster, leader).get(0);
        String other = followersOf(cluster, leader).get(1);
        cluster.isolate(lagging);

        for (String c : commands("d", 5)) {
            cluster.propose(leader, c);
            cluster.runTicks(1);
        }
        cluster.runTicks(2 * HEARTBEAT_TICKS);

        assertThat(cluster.appliedCommands(leader)).containsExactlyElementsOf(commands("d", 5));
        assertThat(cluster.appliedCommands(other)).containsExactlyElementsOf(commands("d", 5));
        assertThat(cluster.appliedCommands(lagging)).isEmpty();

        cluster.heal();
        cluster.awaitConvergence(5 * ELECTION_TICKS);

        assertThat(cluster.appliedCommands(lagging)).containsExactlyElementsOf(commands("d", 5));
        assertThat(cluster.leaders()).containsExactly(leader);
    }

    /** §5.3: without a majority storing it, an entry is not committed, however long the leader waits. */
    @Test
    void noCommitWithoutMajority() {
        TestCluster cluster = TestCluster.builder().voterCount(5).checkQuorum(false).seed(23).build();
        String leader = cluster.awaitLeader(100);
        List<String> followers = followersOf(cluster, leader);
        for (int i = 1; i < 4; i++) {
            cluster.isolate(followers.get(i));
        }
        long commitBefore = cluster.core(leader).log().commitIndex();

        ProposeResult result = cluster.propose(leader, "needs-three");
        cluster.runTicks(10 * ELECTION_TICKS);

        assertThat(result).isInstanceOf(ProposeResult.Accepted.class);
        assertThat(cluster.core(leader).log().commitIndex()).isEqualTo(commitBefore);
        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).as(id).isEmpty();
        }

        cluster.heal();
        cluster.awaitConvergence(10 * ELECTION_TICKS);
        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).as(id).containsExactly("needs-three");
        }
    }

    /**
     * §5.3, R-LOG-7: a hundred proposals in one turn at the leader are appended in order, batched
     * into a few AppendEntries per follower, and applied in that order on every node.
     */
    @Test
    void concurrentProposals() {
        TestCluster cluster = TestCluster.builder().voterCount(5).seed(24).build();
        String leader = cluster.awaitLeader(100);
        long firstIndex = cluster.core(leader).log().lastIndex() + 1;
        cluster.network().resetCounters();

        List<ProposeResult> results = cluster.proposeAll(leader, commands("p", 100));
        cluster.stabilize();

        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i)).isEqualTo(new ProposeResult.Accepted(firstIndex + i, cluster.core(leader).currentTerm()));
        }
        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).as(id).containsExactlyElementsOf(commands("p", 100));
        }
        for (String follower : followersOf(cluster, leader)) {
            long appends = cluster.network().countSent(m -> m instanceof AppendEntriesRequest && m.to().value().equals(follower));
            assertThat(appends).as("AppendEntries to %s", follower).isLessThanOrEqualTo(3);
        }
    }

    /**
     * §5.3, §5.4: a leader cut off in a minority keeps accepting proposals that can never commit;
     * when it rejoins, the new leader's log replaces those entries and nobody ever applies them.
     */
    @Test
    void oldLeaderRejoinsAndItsUncommittedEntriesAreDiscarded() {
        TestCluster cluster = TestCluster.builder().voterCount(3).checkQuorum(false).seed(25).build();
        String old = cluster.awaitLeader(100);
        cluster.propose(old, "before");
        cluster.stabilize();
        cluster.isolate(old);

        List<ProposeResult.Accepted> minority = new ArrayList<>();
        for (String c : commands("minority", 5)) {
            minority.add((ProposeResult.Accepted) cluster.propose(old, c));
        }
        cluster.runUntil("a new leader in the majority", 6 * ELECTION_TICKS,
                () -> cluster.leader() != null && !cluster.leader().equals(old));
        String fresh = cluster.leader();
        for (String c : commands("majority", 3)) {
            cluster.propose(fresh, c);
        }
        cluster.runTicks(HEARTBEAT_TICKS);

        cluster.heal();
        cluster.awaitConvergence(6 * ELECTION_TICKS);

        assertThat(cluster.core(old).role()).isEqualTo(RaftRole.FOLLOWER);
        for (ProposeResult.Accepted a : minority) {
            boolean gone = a.index() > cluster.core(old).log().lastIndex()
                    || cluster.core(old).log().term(a.index()) != a.term();
            assertThat(gone).as("the entry accepted at %s is gone", a).isTrue();
        }
        List<String> expected = new ArrayList<>(List.of("before"));
        expected.addAll(commands("majority", 3));
        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).as(id).containsExactlyElementsOf(expected);
        }
        assertThat(cluster.core(old).log().truncations()).isPositive();
    }

    /**
     * §5.3 (the conflict-hint optimisation), R-LOG-3: a follower holding 60 conflicting entries of
     * one stale term is repaired in a few round trips: the rejections are bounded by the number of
     * distinct conflicting terms plus a small constant, not by the number of entries.
     *
     * <p>Built with 5 nodes: leader L is cut off and accepts 60 proposals (term t1). The other four
     * elect A (term t2), which commits 60 entries; then A is cut off and the remaining three elect B
     * (term t3), whose nextIndex for L starts past B's whole log. Then everything heals.
     */
    @Test
    void fastBacktrackingOverManyConflictingEntries() {
        TestCluster cluster = TestCluster.builder().voterCount(5).checkQuorum(false).seed(26).build();
        String stale = cluster.awaitLeader(100);
        cluster.isolate(stale);
        cluster.proposeAll(stale, commands("stale", 60));

        cluster.runUntil("leader A", 6 * ELECTION_TICKS, () -> cluster.leader() != null && !cluster.leader().equals(stale));
        String a = cluster.leader();
        cluster.proposeAll(a, commands("a", 60));
        cluster.runTicks(HEARTBEAT_TICKS);
        assertThat(cluster.appliedCommands(a)).hasSize(60);

        cluster.isolate(a);
        cluster.runUntil("leader B", 6 * ELECTION_TICKS,
                () -> cluster.leader() != null && !List.of(stale, a).contains(cluster.leader()));
        String b = cluster.leader();
        cluster.runTicks(HEARTBEAT_TICKS);
        long distinctConflictingTerms = cluster.node(stale).core().log().entries(2, 61).stream()
                .map(LogEntry::term).distinct().count();

        cluster.network().resetCounters();
        cluster.heal();
        cluster.awaitConvergence(6 * ELECTION_TICKS);

        long rejections = cluster.network().countSent(m -> m instanceof AppendEntriesResponse r && !r.success()
                && r.from().value().equals(stale) && r.rejectedIndex() > 0);
        assertThat(distinctConflictingTerms).isEqualTo(1);
        assertThat(rejections).as("rejections from the stale node").isLessThanOrEqualTo(distinctConflictingTerms + 2);
        assertThat(cluster.leaders()).containsExactly(b);
        assertThat(cluster.appliedCommands(stale)).containsExactlyElementsOf(cluster.appliedCommands(b));
        assertThat(cluster.appliedCommands(stale)).noneMatch(c -> c.startsWith("stale"));
    }

    /**
     * §5.2 heartbeats, R-OPS-5 spirit: in steady state with no proposals, traffic per follower per
     * heartbeat period is a small constant — one heartbeat and one answer — and no AppendEntries at
     * all; a ping-pong of empty appends would break the bound.
     */
    @Test
    void boundedMessagesInSteadyState() {
        TestCluster cluster = TestCluster.builder().voterCount(5).seed(27).build();
        String leader = cluster.awaitLeader(100);
        cluster.propose(leader, "warm-up");
        cluster.runTicks(2 * ELECTION_TICKS);
        cluster.network().resetCounters();
        int periods = 30;

        cluster.runTicks(periods * HEARTBEAT_TICKS);

        List<RaftMessage> sent = cluster.network().sentLog();
        int followers = cluster.ids().size() - 1;
        double perFollowerPerPeriod = (double) sent.size() / followers / periods;
        assertThat(perFollowerPerPeriod).as("messages per follower per heartbeat period").isBetween(1.0, 2.0);
        assertThat(sent).allMatch(m -> m instanceof HeartbeatRequest || m instanceof HeartbeatResponse);
        assertThat(cluster.leaders()).containsExactly(leader);
    }
}
