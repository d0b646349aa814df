package io.raftkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.message.AppendEntriesRequest;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Thesis §4.1: a configuration entry is in force as soon as it is appended, and no longer once deleted. */
class ConfigurationEntryTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");
    private static final NodeId N3 = NodeId.of("n3");
    private static final NodeId N4 = NodeId.of("n4");
    private static final ClusterConfig BOOTSTRAP = ClusterConfig.ofVoters(List.of(N1, N2, N3));

    private static RaftCore follower() {
        return new RaftCore(RaftConfig.builder(N2).build(), new SplittableRandom(1), InitialState.fresh(BOOTSTRAP));
    }

    @Test
    void anAppendedConfigurationEntryTakesEffectAtOnce() {
        RaftCore core = follower();
        ClusterConfig grown = ClusterConfig.ofVoters(List.of(N1, N2, N3, N4));

        core.step(new AppendEntriesRequest(1, N1, N2, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.CONFIG, grown.encode())), 0));

        assertThat(core.clusterConfig()).isEqualTo(grown);
    }

    @Test
    void deletingAConfigurationEntryRestoresThePreviousConfiguration() {
        RaftCore core = follower();
        ClusterConfig grown = ClusterConfig.ofVoters(List.of(N1, N2, N3, N4));
        core.step(new AppendEntriesRequest(1, N1, N2, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.NO_OP, null), new LogEntry(2, 1, EntryType.CONFIG, grown.encode())),
                0));

        // A leader of term 2 overwrites index 2: the uncommitted configuration entry is gone.
        core.step(new AppendEntriesRequest(2, N3, N2, 1, 1, List.of(new LogEntry(2, 2, EntryType.NO_OP, null)), 0));

        assertThat(core.log().term(2)).isEqualTo(2);
        assertThat(core.clusterConfig()).isEqualTo(BOOTSTRAP);
    }

    @Test
    void aRestartedCoreUsesTheLastConfigurationEntryOfItsLog() {
        ClusterConfig grown = ClusterConfig.ofVoters(List.of(N1, N2, N3, N4));
        InitialState recovered = new InitialState(BOOTSTRAP, new HardState(1, null, 0),
                List.of(new LogEntry(1, 1, EntryType.CONFIG, grown.encode()), new LogEntry(2, 1, EntryType.NORMAL, null)));

        RaftCore core = new RaftCore(RaftConfig.builder(N2).build(), new SplittableRandom(1), recovered);

        assertThat(core.clusterConfig()).isEqualTo(grown);
    }
}
