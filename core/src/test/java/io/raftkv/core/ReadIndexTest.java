package io.raftkv.core;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.heartbeat;
import static io.raftkv.core.harness.Msgs.heartbeatResponse;
import static io.raftkv.core.harness.Msgs.readIndexRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.ReadIndexResponse;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Linearizable reads by ReadIndex (thesis §6.4, R-READ-1, R-READ-3). */
class ReadIndexTest {
    private static final int HEARTBEAT_TICKS = 3;

    /** A leader of n1..n3 (check-quorum off so ticks cannot depose it). */
    private static TestNode leader() {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").checkQuorum(false).build();
        node.electSelf();
        return node;
    }

    /** A leader that has committed its no-op. */
    private static TestNode committedLeader() {
        TestNode node = leader();
        node.step(appendAccepted("n2", "n1", node.core().currentTerm(), 1));
        assertThat(node.core().log().commitIndex()).isEqualTo(1);
        node.takeSent();
        return node;
    }

    private static long readRoundSent(TestNode node) {
        List<HeartbeatRequest> heartbeats = node.takeSent(HeartbeatRequest.class);
        assertThat(heartbeats).extracting(m -> m.to().value()).containsExactlyInAnyOrder("n2", "n3");
        assertThat(heartbeats).extracting(HeartbeatRequest::readRound).containsOnly(heartbeats.get(0).readRound());
        return heartbeats.get(0).readRound();
    }

    /**
     * Thesis §6.4 step 1: a new leader serves no read before it has committed an entry of its own
     * term, because until then its commit index may lag the cluster's. The read waits, then goes through.
     */
    @Test
    void newLeaderDoesNotServeReadsBeforeCommittingAnEntryOfItsTerm() {
        TestNode node = leader();
        long term = node.core().currentTerm();

        node.readIndex(100);
        assertThat(node.sent(HeartbeatRequest.class)).as("no confirmation round yet").isEmpty();
        node.step(heartbeatResponse("n2", "n1", term, 0));
        node.step(heartbeatResponse("n3", "n1", term, 0));
        assertThat(node.readStates()).isEmpty();

        node.step(appendAccepted("n2", "n1", term, 1)); // the no-op commits
        long round = readRoundSent(node);
        assertThat(node.readStates()).isEmpty();
        node.step(heartbeatResponse("n2", "n1", term, round));

        assertThat(node.readStates()).containsExactly(new ReadState(100, 1));
    }

    /**
     * Thesis §6.4 step 2-3: the read index is the commit index when the read arrived, confirmed by a
     * quorum answering a heartbeat round started after the read: an answer to an older round does not count.
     */
    @Test
    void readNeedsQuorumHeartbeatRoundStartedAfterIt() {
        TestNode node = committedLeader();
        long term = node.core().currentTerm();
        node.tick(HEARTBEAT_TICKS);
        long oldRound = readRoundSent(node);

        node.readIndex(7);
        long readRound = readRoundSent(node);
        assertThat(readRound).isGreaterThan(oldRound);
        node.step(heartbeatResponse("n2", "n1", term, oldRound));
        node.step(heartbeatResponse("n3", "n1", term, oldRound));
        assertThat(node.readStates()).as("answers to a round that started before the read").isEmpty();

        node.propose("later"); // commits after the read arrived: not part of its read index
        node.step(appendAccepted("n2", "n1", term, 2));
        node.step(heartbeatResponse("n3", "n1", term, readRound));

        assertThat(node.readStates()).containsExactly(new ReadState(7, 1));
    }

    /** R-READ-1: reads that arrive in one turn share one heartbeat round and are all confirmed by it. */
    @Test
    void concurrentReadsShareOneRound() {
        TestNode node = committedLeader();
        long term = node.core().currentTerm();

        node.readIndex(LongStream.rangeClosed(1, 50).toArray());

        long round = readRoundSent(node); // one heartbeat per follower, not fifty
        node.step(heartbeatResponse("n2", "n1", term, round));
        assertThat(node.readStates()).hasSize(50).extracting(ReadState::requestId)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(node.readStates()).extracting(ReadState::readIndex).containsOnly(1L);
    }

    /** A read that arrives while a round is outstanding waits for the next round, not the outstanding one. */
    @Test
    void readArrivingDuringARoundWaitsForTheNextRound() {
        TestNode node = committedLeader();
        long term = node.core().currentTerm();
        node.readIndex(1);
        long first = readRoundSent(node);
        node.readIndex(2);
        long second = readRoundSent(node);

        node.step(heartbeatResponse("n2", "n1", term, first));
        assertThat(node.readStates()).extracting(ReadState::requestId).containsExactly(1L);

        node.step(heartbeatResponse("n2", "n1", term, second));
        assertThat(node.readStates()).extracting(ReadState::requestId).containsExactly(1L, 2L);
    }

    /** Thesis §6.4: reads pending when leadership is lost are dropped, so clients retry elsewhere. */
    @Test
    void readsAreDroppedWhenLeadershipIsLost() {
        TestNode node = leader();
        node.readIndex(1); // waits for the no-op to commit
        node.step(appendAccepted("n2", "n1", node.core().currentTerm(), 1));
        node.readIndex(2); // waits for its round
        node.readIndex(3);
        node.takeSent();

        node.step(heartbeat("n3", "n1", node.core().currentTerm() + 1, 0, 0));

        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(node.droppedReads()).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(node.readStates()).isEmpty();
    }

    /** A server that knows no leader cannot serve a linearizable read: it is dropped at once. */
    @Test
    void readWithoutKnownLeaderIsDropped() {
        TestNode node = TestNode.builder("n2").voters("n1", "n2", "n3").build();
        node.readIndex(9);
        assertThat(node.droppedReads()).containsExactly(9L);
        assertThat(node.sent()).isEmpty();
    }

    /** R-READ-3, thesis §6.4: a follower forwards a read to its leader and learns the read index from it. */
    @Test
    void followerForwardsReadToLeader() {
        TestNode follower = TestNode.builder("n2").voters("n1", "n2", "n3").build();
        follower.step(heartbeat("n1", "n2", 1, 0, 0));
        follower.takeSent();

        follower.readIndex(42);

        assertThat(follower.takeSent(ReadIndexRequest.class)).singleElement().satisfies(r -> {
            assertThat(r.to()).hasToString("n1");
            assertThat(r.requestId()).isEqualTo(42);
        });
        follower.step(new ReadIndexResponse(1, NodeId.of("n3"), NodeId.of("n2"), 42, 5));
        assertThat(follower.readStates()).as("only the leader's answer counts").isEmpty();
        follower.step(new ReadIndexResponse(1, NodeId.of("n1"), NodeId.of("n2"), 42, 5));
        assertThat(follower.readStates()).containsExactly(new ReadState(42, 5));
    }

    /** The leader answers a forwarded read only after the quorum round, with its commit index. */
    @Test
    void leaderAnswersForwardedReadAfterQuorumRound() {
        TestNode node = committedLeader();
        long term = node.core().currentTerm();

        node.step(readIndexRequest("n3", "n1", term, 77));
        long round = readRoundSent(node);
        assertThat(node.sent(ReadIndexResponse.class)).isEmpty();
        node.step(heartbeatResponse("n2", "n1", term, round));

        assertThat(node.takeSent(ReadIndexResponse.class)).singleElement().satisfies(r -> {
            assertThat(r.to()).hasToString("n3");
            assertThat(r.requestId()).isEqualTo(77);
            assertThat(r.readIndex()).isEqualTo(1);
        });
        assertThat(node.readStates()).isEmpty();
    }

    /** A forwarded read is dropped when the follower's leader changes before the answer comes. */
    @Test
    void forwardedReadIsDroppedWhenLeaderChanges() {
        TestNode follower = TestNode.builder("n2").voters("n1", "n2", "n3").build();
        follower.step(heartbeat("n1", "n2", 1, 0, 0));
        follower.readIndex(42);

        follower.step(heartbeat("n3", "n2", 2, 0, 0));

        assertThat(follower.droppedReads()).containsExactly(42L);
        follower.step(new ReadIndexResponse(2, NodeId.of("n3"), NodeId.of("n2"), 42, 5));
        assertThat(follower.readStates()).isEmpty();
    }

    /** End to end on a cluster: a follower's read returns the leader's commit index, which the follower then applies. */
    @Test
    void followerReadOnACluster() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").seed(11).build();
        String leader = cluster.awaitLeader(300);
        cluster.propose(leader, "a");
        cluster.stabilize();
        String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();

        cluster.readIndex(follower, 5);
        cluster.stabilize();

        long commit = cluster.core(leader).log().commitIndex();
        assertThat(cluster.node(follower).readStates()).containsExactly(new ReadState(5, commit));
        assertThat(cluster.core(follower).log().appliedIndex()).isGreaterThanOrEqualTo(commit);
    }

    /** A single-voter leader needs no round: its read is served at once. */
    @Test
    void singleVoterServesReadAtOnce() {
        TestNode node = TestNode.builder("n1").voters("n1").build();
        node.tickUntil(c -> c.role() == RaftRole.LEADER && c.log().commitIndex() == 1, 40);

        node.readIndex(3);

        assertThat(node.readStates()).containsExactly(new ReadState(3, 1));
    }
}
