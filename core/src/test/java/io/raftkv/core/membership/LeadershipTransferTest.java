package io.raftkv.core.membership;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.heartbeat;
import static io.raftkv.core.harness.Msgs.heartbeatResponse;
import static io.raftkv.core.harness.Msgs.id;
import static io.raftkv.core.harness.Msgs.timeoutNow;
import static io.raftkv.core.harness.Msgs.transferVoteRequest;
import static io.raftkv.core.harness.Msgs.voteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.TransferResult;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;
import org.junit.jupiter.api.Test;

/** Leadership transfer (thesis §3.10, R-ELECT-10). */
class LeadershipTransferTest {
    private static final int ELECTION_TICKS = 15;

    /** Step 3: a target holding the whole log gets a TimeoutNow at once; proposals are refused meanwhile (step 1). */
    @Test
    void aCaughtUpTargetGetsTimeoutNowAndProposalsPause() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");

        assertThat(leader.transferLeadership("n2")).isEqualTo(new TransferResult.Started(id("n2")));

        assertThat(leader.sent(TimeoutNow.class)).containsExactly(new TimeoutNow(1, id("n1"), id("n2")));
        assertThat(leader.core().transferTarget()).isEqualTo(id("n2"));
        assertThat(leader.propose("x")).isEqualTo(new ProposeResult.TransferInProgress(id("n2")));
        assertThat(leader.core().role()).isEqualTo(RaftRole.LEADER);
    }

    /** Step 2: a lagging target is brought up to date first; the TimeoutNow follows its acknowledgement. */
    @Test
    void aLaggingTargetIsBroughtUpToDateFirst() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        leader.propose("x");
        leader.propose("y");
        leader.takeSent();

        leader.transferLeadership("n3");
        assertThat(leader.sent(TimeoutNow.class)).isEmpty();
        leader.step(appendAccepted("n3", "n1", 1, 2));
        assertThat(leader.sent(TimeoutNow.class)).isEmpty();
        leader.step(appendAccepted("n3", "n1", 1, 3));

        assertThat(leader.sent(TimeoutNow.class)).containsExactly(new TimeoutNow(1, id("n1"), id("n3")));
    }

    /** A lost TimeoutNow is sent again when the target, still in the leader's term, answers a heartbeat. */
    @Test
    void aLostTimeoutNowIsResent() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        leader.transferLeadership("n2");
        leader.takeSent();

        leader.step(heartbeatResponse("n2", "n1", 1, 0));

        assertThat(leader.sent(TimeoutNow.class)).hasSize(1);
    }

    /** Step 4: no new leader within an election timeout: the transfer is aborted and proposals are accepted again. */
    @Test
    void aTransferThatDoesNotHappenIsAbortedAfterAnElectionTimeout() {
        TestNode leader = Leaders.readyLeader(TestNode.builder("n1").voters("n1", "n2", "n3").checkQuorum(false));
        leader.propose("x");
        leader.transferLeadership("n3"); // n3 never answers

        leader.tick(ELECTION_TICKS - 1);
        assertThat(leader.propose("y")).isInstanceOf(ProposeResult.TransferInProgress.class);
        leader.tick();

        assertThat(leader.core().transferTarget()).isNull();
        assertThat(leader.core().role()).isEqualTo(RaftRole.LEADER);
        assertThat(leader.propose("y")).isInstanceOf(ProposeResult.Accepted.class);
    }

    /**
     * Voters may now vote despite hearing from this leader, so its lease is void (thesis §6.4.1): no
     * lease reads for the rest of its term, even after the transfer was aborted.
     */
    @Test
    void aTransferEndsTheLeadersLeaseForItsTerm() {
        TestNode leader = Leaders.readyLeader(TestNode.builder("n1").voters("n1", "n2", "n3").leaseReads(true));
        leader.tick(3); // the first heartbeat round
        leader.step(heartbeatResponse("n2", "n1", 1, 1));
        assertThat(leader.core().leaseReadIndex()).as("lease held before the transfer").isGreaterThanOrEqualTo(0);

        leader.transferLeadership("n3");
        assertThat(leader.core().leaseReadIndex()).isEqualTo(-1);
        for (int t = 0; t < ELECTION_TICKS; t++) {
            leader.tick();
            leader.step(heartbeatResponse("n2", "n1", 1, t + 2));
        }

        assertThat(leader.core().transferTarget()).isNull();
        assertThat(leader.core().role()).isEqualTo(RaftRole.LEADER);
        assertThat(leader.core().leaseReadIndex()).isEqualTo(-1);
    }

    @Test
    void transfersThatCannotOrNeedNotHappen() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        leader.proposeConfigChange(new ConfigChange.AddLearner(id("n4")));

        assertThat(leader.transferLeadership("n1")).isEqualTo(new TransferResult.AlreadyLeader());
        assertThat(leader.transferLeadership("n4")).isEqualTo(new TransferResult.TargetNotVoter(id("n4")));
        assertThat(leader.transferLeadership("n9")).isEqualTo(new TransferResult.TargetNotVoter(id("n9")));
        assertThat(leader.transferLeadership("n2")).isEqualTo(new TransferResult.Started(id("n2")));
        assertThat(leader.transferLeadership("n2")).isEqualTo(new TransferResult.Started(id("n2")));
        assertThat(leader.transferLeadership("n3")).isEqualTo(new TransferResult.TransferInProgress(id("n2")));

        TestNode follower = TestNode.builder("n2").voters("n1", "n2", "n3").build();
        follower.step(heartbeat("n1", "n2", 1, 0, 0));
        assertThat(follower.transferLeadership("n3")).isEqualTo(new TransferResult.NotLeader(id("n1")));
    }

    /** The target campaigns on TimeoutNow at once, in a new term, without a pre-vote, flagging its requests. */
    @Test
    void theTargetCampaignsAtOnceWithoutPreVote() {
        TestNode target = TestNode.builder("n2").voters("n1", "n2", "n3").build();
        target.step(heartbeat("n1", "n2", 1, 0, 0));
        target.takeSent();

        target.step(timeoutNow("n1", "n2", 1));

        assertThat(target.core().role()).isEqualTo(RaftRole.CANDIDATE);
        assertThat(target.core().currentTerm()).isEqualTo(2);
        assertThat(target.sent(RequestVoteRequest.class)).hasSize(2)
                .allMatch(r -> r.leadershipTransfer() && !r.preVote() && r.term() == 2);
    }

    /** A TimeoutNow from a server that is not this follower's leader, or sent to a learner, is ignored. */
    @Test
    void aTimeoutNowFromAnotherServerOrToALearnerIsIgnored() {
        TestNode target = TestNode.builder("n2").voters("n1", "n2", "n3").build();
        target.step(heartbeat("n1", "n2", 1, 0, 0));
        target.step(timeoutNow("n3", "n2", 1));
        assertThat(target.core().role()).isEqualTo(RaftRole.FOLLOWER);

        TestNode learner = TestNode.builder("n4").voters("n1", "n2", "n3").build();
        learner.step(heartbeat("n1", "n4", 1, 0, 0));
        learner.step(timeoutNow("n1", "n4", 1));
        assertThat(learner.core().role()).isEqualTo(RaftRole.LEARNER);
        assertThat(learner.sent(RequestVoteRequest.class)).isEmpty();
    }

    /** Thesis §4.2.3's exception: a voter that just heard from the leader grants a transfer's vote, and only that. */
    @Test
    void aVoterInTheLeadersLeaseGrantsOnlyATransfersVote() {
        TestNode voter = TestNode.builder("n3").voters("n1", "n2", "n3").build();
        voter.step(heartbeat("n1", "n3", 1, 0, 0));
        voter.takeSent();

        voter.step(voteRequest("n2", "n3", 2, 0, 0));
        assertThat(voter.core().currentTerm()).isEqualTo(1);
        assertThat(voter.takeSent()).isEmpty();

        voter.step(transferVoteRequest("n2", "n3", 2, 0, 0));
        assertThat(voter.core().currentTerm()).isEqualTo(2);
        assertThat(voter.core().votedFor()).isEqualTo(id("n2"));
        assertThat(voter.sent(RequestVoteResponse.class)).singleElement().satisfies(r -> assertThat(r.voteGranted()).isTrue());
    }

    /** The whole exchange in a cluster: leadership moves to the target in the next term, and writes resume there. */
    @Test
    void leadershipMovesToTheTarget() {
        TestCluster cluster = TestCluster.builder().voterCount(5).build();
        String old = cluster.awaitLeader(300);
        cluster.propose(old, "a");
        String target = cluster.ids().stream().filter(n -> !n.equals(old)).reduce((a, b) -> b).orElseThrow();
        long term = cluster.core(old).currentTerm();
        cluster.dropMessages(m -> m instanceof AppendEntriesRequest && m.to().value().equals(target));

        assertThat(cluster.transferLeadership(old, target)).isEqualTo(new TransferResult.Started(id(target)));
        cluster.runTicks(3);
        assertThat(cluster.leader()).as("the target lags, so no TimeoutNow yet").isEqualTo(old);
        cluster.heal();
        cluster.runUntil("the target leads", 100, () -> target.equals(cluster.leader()));

        assertThat(cluster.core(target).currentTerm()).isEqualTo(term + 1);
        assertThat(cluster.core(old).role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(cluster.propose(target, "b")).isInstanceOf(ProposeResult.Accepted.class);
        cluster.awaitConvergence(200);
        assertThat(cluster.appliedCommands(old)).containsExactly("a", "b");
    }
}
