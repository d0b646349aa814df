package io.raftkv.core.membership;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.ConfigChange;
import io.raftkv.core.EntryType;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.ProposeResult.Reason;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The leader's rules for single-server configuration changes (thesis §4.1, R-MEMB-1). */
class ConfigChangeProposalTest {
    private static final ConfigChange ADD_N4 = new ConfigChange.AddLearner(id("n4"));

    private static ProposeResult.ConfigChangeRefused refused(Reason reason) {
        return new ProposeResult.ConfigChangeRefused(reason);
    }

    @Test
    void aFollowerRefusesAndNamesTheLeader() {
        TestNode follower = TestNode.builder("n2").voters("n1", "n2", "n3").build();
        follower.step(io.raftkv.core.harness.Msgs.heartbeat("n1", "n2", 1, 0, 0));

        assertThat(follower.proposeConfigChange(ADD_N4)).isEqualTo(new ProposeResult.NotLeader(id("n1")));
    }

    /** Thesis §4.1 and its 2015 correction: no change before the leader committed an entry of its own term. */
    @Test
    void aNewLeaderRefusesChangesUntilItCommittedAnEntryOfItsTerm() {
        TestNode leader = TestNode.builder("n1").voters("n1", "n2", "n3").build();
        leader.electSelf();

        assertThat(leader.proposeConfigChange(ADD_N4)).isEqualTo(refused(Reason.LEADER_NOT_READY));
        assertThat(leader.core().log().lastIndex()).isEqualTo(1);

        leader.step(appendAccepted("n2", "n1", 1, 1));
        assertThat(leader.proposeConfigChange(ADD_N4)).isEqualTo(new ProposeResult.Accepted(2, 1));
    }

    /** Thesis §4.1: a configuration entry is in force on the leader as soon as it is appended. */
    @Test
    void anAcceptedChangeIsInForceAtOnceAndReplicatedToTheNewMember() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");

        ProposeResult result = leader.proposeConfigChange(ADD_N4);

        assertThat(result).isEqualTo(new ProposeResult.Accepted(2, 1));
        assertThat(leader.core().log().entry(2).type()).isEqualTo(EntryType.CONFIG);
        assertThat(leader.core().clusterConfig())
                .isEqualTo(new ClusterConfig(Set.of(id("n1"), id("n2"), id("n3")), Set.of(id("n4"))));
        assertThat(leader.core().configChangePending()).isTrue();
        assertThat(leader.core().peerStatus()).containsKey(id("n4"));
        assertThat(leader.sent(AppendEntriesRequest.class)).anySatisfy(m -> {
            assertThat(m.to()).isEqualTo(id("n4"));
            assertThat(m.entries()).extracting(e -> e.index()).contains(2L);
        });
    }

    /** R-MEMB-1: one change at a time; the next waits until the previous one is committed. */
    @Test
    void aSecondChangeIsRefusedWhileTheFirstIsUncommitted() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        leader.proposeConfigChange(ADD_N4);

        assertThat(leader.proposeConfigChange(new ConfigChange.AddLearner(id("n5")))).isEqualTo(refused(Reason.CHANGE_PENDING));
        // Even the same change again: it is not done until its entry commits.
        assertThat(leader.proposeConfigChange(ADD_N4)).isEqualTo(refused(Reason.CHANGE_PENDING));
        assertThat(leader.core().log().lastIndex()).isEqualTo(2);

        leader.step(appendAccepted("n3", "n1", 1, 2));
        assertThat(leader.core().configChangePending()).isFalse();
        assertThat(leader.proposeConfigChange(new ConfigChange.AddLearner(id("n5")))).isEqualTo(new ProposeResult.Accepted(3, 1));
    }

    /** Idempotence: a change the committed configuration already reflects is reported done, and nothing is appended. */
    @Test
    void aChangeAlreadyInEffectIsReportedDone() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        ClusterConfig config = leader.core().clusterConfig();

        assertThat(leader.proposeConfigChange(new ConfigChange.AddLearner(id("n2")))).isEqualTo(new ProposeResult.AlreadyDone(config));
        assertThat(leader.proposeConfigChange(new ConfigChange.PromoteLearner(id("n3")))).isEqualTo(new ProposeResult.AlreadyDone(config));
        assertThat(leader.proposeConfigChange(new ConfigChange.RemoveServer(id("n9")))).isEqualTo(new ProposeResult.AlreadyDone(config));
        assertThat(leader.core().log().lastIndex()).isEqualTo(1);

        leader.proposeConfigChange(ADD_N4);
        leader.step(appendAccepted("n2", "n1", 1, 2));
        assertThat(leader.proposeConfigChange(ADD_N4)).isInstanceOf(ProposeResult.AlreadyDone.class);
    }

    @Test
    void promotingAServerThatIsNoLearnerIsRefused() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");

        assertThat(leader.proposeConfigChange(new ConfigChange.PromoteLearner(id("n9")))).isEqualTo(refused(Reason.NOT_A_LEARNER));
        assertThat(Reason.NOT_A_LEARNER.retryable()).isFalse();
    }

    @Test
    void removingTheOnlyVoterIsRefused() {
        TestNode leader = TestNode.builder("n1").build();
        leader.tickUntil(c -> c.role() == io.raftkv.core.RaftRole.LEADER, 100);
        leader.takeSent();

        assertThat(leader.proposeConfigChange(new ConfigChange.RemoveServer(id("n1")))).isEqualTo(refused(Reason.LAST_VOTER));
    }

    /** A single voter commits alone: its changes need nobody else (the one-voter configuration works). */
    @Test
    void aSingleVoterAddsAndPromotesALearner() {
        TestNode leader = TestNode.builder("n1").build();
        leader.tickUntil(c -> c.role() == io.raftkv.core.RaftRole.LEADER && c.log().commitIndex() == 1, 100);

        assertThat(leader.proposeConfigChange(ADD_N4)).isEqualTo(new ProposeResult.Accepted(2, 1));
        assertThat(leader.core().log().commitIndex()).isEqualTo(2);
        assertThat(leader.proposeConfigChange(new ConfigChange.PromoteLearner(id("n4"))))
                .isEqualTo(refused(Reason.NOT_CAUGHT_UP));
        leader.step(appendAccepted("n4", "n1", 1, 2));

        assertThat(leader.proposeConfigChange(new ConfigChange.PromoteLearner(id("n4")))).isEqualTo(new ProposeResult.Accepted(3, 1));
        assertThat(leader.core().clusterConfig().voters()).containsExactlyInAnyOrder(id("n1"), id("n4"));
        assertThat(leader.core().log().commitIndex()).as("two voters now: n4 must store it too").isEqualTo(2);
    }

    @Test
    void noChangeWhileLeadershipIsBeingTransferred() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        leader.transferLeadership("n3");

        assertThat(leader.proposeConfigChange(ADD_N4)).isEqualTo(new ProposeResult.TransferInProgress(id("n3")));
        assertThat(leader.core().log().lastIndex()).isEqualTo(1);
    }

    @Test
    void configurationsEncodeWhatTheChangesMake() {
        ClusterConfig three = ClusterConfig.ofVoters(List.of(id("n1"), id("n2"), id("n3")));
        ClusterConfig withLearner = ADD_N4.applyTo(three);
        ClusterConfig promoted = new ConfigChange.PromoteLearner(id("n4")).applyTo(withLearner);

        assertThat(withLearner.learners()).containsExactly(id("n4"));
        assertThat(promoted.voters()).hasSize(4);
        assertThat(promoted.learners()).isEmpty();
        assertThat(new ConfigChange.RemoveServer(id("n4")).applyTo(withLearner)).isEqualTo(three);
        assertThat(new ConfigChange.RemoveServer(id("n2")).applyTo(three).voters()).containsExactly(id("n1"), id("n3"));
    }
}
