package io.raftkv.core;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.entriesFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.harness.Msgs;
import io.raftkv.core.message.AppendEntriesRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Ready contract of {@link Ready}'s Javadoc, driven on a bare core. */
class ReadyContractTest {

    private static RaftCore core(String id, String... voters) {
        List<NodeId> ids = java.util.Arrays.stream(voters).map(NodeId::of).toList();
        return new RaftCore(RaftConfig.builder(NodeId.of(id)).build(), new SplittableRandom(1),
                InitialState.fresh(ClusterConfig.ofVoters(ids)));
    }

    /**
     * A single-voter core that is leader with everything handed out and advanced. It leads only once
     * its vote for itself is durable, so its Readies are advanced as it campaigns.
     */
    private static RaftCore singleLeader() {
        RaftCore core = core("n1", "n1");
        for (int t = 0; t < 100 && core.role() != RaftRole.LEADER; t++) {
            core.tick();
            while (core.hasReady()) {
                core.advance(core.ready());
            }
        }
        assertThat(core.role()).isEqualTo(RaftRole.LEADER);
        while (core.hasReady()) {
            core.advance(core.ready());
        }
        return core;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Readies must be advanced in the order they were taken. */
    @Test
    void advancingOutOfOrderThrows() {
        RaftCore core = singleLeader();
        core.propose(bytes("a"));
        Ready first = core.ready();
        core.propose(bytes("b"));
        Ready second = core.ready();

        assertThatThrownBy(() -> core.advance(second)).isInstanceOf(IllegalStateException.class);

        core.advance(first);
        core.advance(second);
        assertThatThrownBy(() -> core.advance(second)).as("advancing twice").isInstanceOf(IllegalStateException.class);
    }

    /** Readies may be pipelined: several taken before the first is advanced, then advanced in order. */
    @Test
    void pipelinedReadiesAdvancedInOrderCommitEverything() {
        RaftCore core = singleLeader();
        core.propose(bytes("a"));
        Ready first = core.ready();
        core.propose(bytes("b"));
        Ready second = core.ready();
        assertThat(first.entriesToPersist()).extracting(LogEntry::index).containsExactly(2L);
        assertThat(second.entriesToPersist()).extracting(LogEntry::index).containsExactly(3L);

        core.advance(first);
        core.advance(second);

        assertThat(core.log().commitIndex()).isEqualTo(3);
        Ready third = core.ready();
        assertThat(third.committedEntries()).extracting(LogEntry::index).containsExactly(2L, 3L);
        core.advance(third);
        assertThat(core.log().appliedIndex()).isEqualTo(3);
        assertThat(core.hasReady()).isFalse();
    }

    /**
     * A leader commits only what is durable on its own disk when it counts itself (thesis §10.2.1);
     * its committed entries are handed out only after they were handed out for persistence.
     */
    @Test
    void singleLeaderCommitsOnlyAfterItsOwnPersist() {
        RaftCore core = singleLeader();
        core.propose(bytes("a"));

        Ready ready = core.ready();
        assertThat(ready.entriesToPersist()).hasSize(1);
        assertThat(ready.committedEntries()).isEmpty();
        assertThat(core.log().commitIndex()).isEqualTo(1);

        core.advance(ready);
        assertThat(core.log().commitIndex()).isEqualTo(2);
        assertThat(core.ready().committedEntries()).extracting(LogEntry::index).containsExactly(2L);
    }

    /** Thesis §10.2.1: a leader's AppendEntries leave before its own write, in the same Ready. */
    @Test
    void leaderSendsAppendsBeforePersisting() {
        RaftCore core = core("n1", "n1", "n2", "n3");
        for (int t = 0; t < 100 && core.role() == RaftRole.FOLLOWER; t++) {
            core.tick();
        }
        core.advance(core.ready());
        core.step(Msgs.preVoteGranted("n2", "n1", 1));
        core.advance(core.ready());
        core.step(Msgs.voteGranted("n2", "n1", 1));
        assertThat(core.role()).isEqualTo(RaftRole.LEADER);

        Ready ready = core.ready();

        assertThat(ready.entriesToPersist()).extracting(LogEntry::type).containsExactly(EntryType.NO_OP);
        assertThat(ready.messages()).filteredOn(AppendEntriesRequest.class::isInstance).hasSize(2);
        assertThat(ready.messagesAfterPersist()).isEmpty();
    }

    /** hardState is null when nothing durable changed; needsPersist says whether step 2 has work. */
    @Test
    void hardStateIsNullWhenUnchanged() {
        RaftCore core = core("n2", "n1", "n2", "n3");
        core.step(append("n1", "n2", 1, 0, 0, 0, entriesFrom(1, 1)));
        Ready first = core.ready();
        assertThat(first.hardState()).isEqualTo(new HardState(1, null, 0));
        assertThat(first.needsPersist()).isTrue();
        core.advance(first);

        core.step(append("n1", "n2", 1, 1, 1, 0));
        Ready second = core.ready();
        assertThat(second.hardState()).isNull();
        assertThat(second.entriesToPersist()).isEmpty();
        assertThat(second.needsPersist()).isFalse();
        core.advance(second);
        assertThat(core.hasReady()).isFalse();
    }

    /** A message addressed to another server is a driver bug. */
    @Test
    void messageForAnotherServerIsRejected() {
        RaftCore core = core("n2", "n1", "n2", "n3");
        assertThatThrownBy(() -> core.step(append("n1", "n3", 1, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** An idle core has nothing to do. */
    @Test
    void idleFollowerHasNoReady() {
        RaftCore core = core("n2", "n1", "n2", "n3");
        assertThat(core.hasReady()).isFalse();
        core.tick();
        assertThat(core.hasReady()).isFalse();
    }
}
