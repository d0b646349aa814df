package io.raftkv.core.membership;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.HeartbeatRequest;
import org.junit.jupiter.api.Test;

/**
 * A configuration of one voter, which membership changes can shrink a cluster to. A single voter
 * wins its elections alone, before anything is persisted; it must still lead a term only once its
 * vote for itself in that term is durable (paper Figure 2), or a crash that loses its term would let
 * it lead the same term twice, creating two different entries with one index and term (the
 * simulator found this: Log Matching).
 */
class SingleVoterTest {
    @Test
    void aSingleVoterLeadsOnlyOnceItsTermIsDurable() {
        TestNode n1 = TestNode.builder("n1").build();
        n1.tickUntil(c -> c.role() == RaftRole.LEADER && c.log().commitIndex() == 1, 100);
        n1.proposeConfigChange(new ConfigChange.AddLearner(id("n2")));
        n1.step(appendAccepted("n2", "n1", 1, 2));
        n1.crash();
        n1.restart();
        n1.stallDisk();

        n1.tickUntil(c -> c.role() == RaftRole.CANDIDATE, 100);
        n1.takeSent();
        assertThat(n1.core().currentTerm()).isEqualTo(2);
        assertThat(n1.core().role()).as("won, but its vote is not durable yet").isEqualTo(RaftRole.CANDIDATE);

        n1.resumeDisk();

        assertThat(n1.core().role()).isEqualTo(RaftRole.LEADER);
        assertThat(n1.durable().hardState().currentTerm()).isEqualTo(2);
        assertThat(n1.sent(AppendEntriesRequest.class)).isNotEmpty().allMatch(m -> m.term() == 2);
    }

    @Test
    void aCrashBeforeItsTermIsDurableLosesNothingItLed() {
        TestNode n1 = TestNode.builder("n1").build();
        n1.stallDisk();
        n1.tickUntil(c -> c.role() == RaftRole.CANDIDATE, 100);
        assertThat(n1.propose("x")).isInstanceOf(io.raftkv.core.ProposeResult.NotLeader.class);
        assertThat(n1.sent(HeartbeatRequest.class)).isEmpty();

        n1.crash(); // the term and the vote were never durable
        n1.restart();
        n1.tickUntil(c -> c.role() == RaftRole.LEADER, 100);

        assertThat(n1.core().currentTerm()).isEqualTo(1);
        assertThat(n1.core().log().lastIndex()).as("only this leadership's no-op").isEqualTo(1);
    }
}
