package io.raftkv.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.InitialState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.harness.DurableState;
import io.raftkv.core.harness.Msgs;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesRequest;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Paper §7 and thesis §5.1: a server snapshots only applied entries, records the configuration in
 * force at the snapshot's index, and discards only log entries a durable snapshot covers.
 */
class CompactionTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");
    private static final NodeId N3 = NodeId.of("n3");
    private static final NodeId N4 = NodeId.of("n4");
    private static final NodeId N5 = NodeId.of("n5");
    private static final ClusterConfig BOOTSTRAP = ClusterConfig.ofVoters(List.of(N1, N2, N3));
    private static final ClusterConfig FOUR = ClusterConfig.ofVoters(List.of(N1, N2, N3, N4));
    private static final ClusterConfig FIVE = ClusterConfig.ofVoters(List.of(N1, N2, N3, N4, N5));

    /** A single-voter leader that has committed and applied its no-op and {@code commands} commands. */
    private static TestNode soloLeader(int commands) {
        TestNode node = TestNode.builder("n1").build();
        node.electSelf();
        node.proposeAll(IntStream.range(0, commands).mapToObj(i -> "c" + i).toList());
        assertThat(node.core().log().appliedIndex()).isEqualTo(commands + 1);
        return node;
    }

    private static LogEntry config(long index, long term, ClusterConfig config) {
        return new LogEntry(index, term, EntryType.CONFIG, config.encode());
    }

    /** A follower n2 recovered with this log, all committed, and everything applied. */
    private static RaftCore appliedFollower(List<LogEntry> log) {
        RaftCore core = new RaftCore(RaftConfig.builder(N2).build(), new SplittableRandom(1),
                new InitialState(BOOTSTRAP, new HardState(1, null, log.size()), log));
        while (core.hasReady()) {
            core.advance(core.ready());
        }
        assertThat(core.log().appliedIndex()).isEqualTo(log.size());
        return core;
    }

    /** §7: compaction needs a registered snapshot that covers the entries to discard. */
    @Test
    void compactLogRefusesToGoBeyondTheLatestRegisteredSnapshot() {
        TestNode node = soloLeader(9);

        assertThatThrownBy(() -> node.core().compactLog(3)).as("no snapshot at all")
                .isInstanceOf(IllegalArgumentException.class);

        node.takeSnapshot(6);
        assertThatThrownBy(() -> node.core().compactLog(7)).isInstanceOf(IllegalArgumentException.class);
        assertThat(node.core().log().firstIndex()).isEqualTo(1);

        node.compactLog(4);
        assertThat(node.core().log().firstIndex()).as("less than the snapshot covers is fine").isEqualTo(5);
        node.compactLog(6);
        assertThat(node.core().log().firstIndex()).isEqualTo(7);
        assertThat(node.core().log().snapshotTerm()).isEqualTo(node.core().log().term(6));
        node.compactLog(2);
        assertThat(node.core().log().firstIndex()).as("compacting an already compacted prefix does nothing")
                .isEqualTo(7);
        assertThat(node.core().log().lastIndex()).isEqualTo(10);
        assertThat(node.core().log().entries(7, 10)).extracting(LogEntry::index).containsExactly(7L, 8L, 9L, 10L);
    }

    /**
     * R-SNAP-1: only applied entries may be snapshotted; a snapshot beyond the applied index is
     * refused, so compaction can never discard an entry the state machine has not applied.
     */
    @Test
    void snapshotsAndCompactionRefuseToGoBeyondTheAppliedIndex() {
        TestNode node = soloLeader(4);
        long applied = node.core().log().appliedIndex();
        node.stallDisk();
        node.propose("unapplied");
        assertThat(node.core().log().lastIndex()).isEqualTo(applied + 1);
        assertThat(node.core().log().appliedIndex()).isEqualTo(applied);

        assertThatThrownBy(() -> node.core().snapshotMetadataAt(applied + 1))
                .isInstanceOf(IllegalArgumentException.class);
        SnapshotMetadata beyond = new SnapshotMetadata(applied + 1, node.core().currentTerm(), BOOTSTRAP);
        assertThatThrownBy(() -> node.core().snapshotSaved(DurableState.localSnapshot(beyond, new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(node.core().latestSnapshot()).isNull();
        assertThatThrownBy(() -> node.core().compactLog(applied + 1)).isInstanceOf(IllegalArgumentException.class);

        node.takeSnapshot(applied);
        node.compactLog(applied);
        assertThat(node.core().log().firstIndex()).isEqualTo(applied + 1);
        node.resumeDisk();
        assertThat(node.core().log().appliedIndex()).isEqualTo(applied + 1);
        assertThat(node.appliedCommands()).last().isEqualTo("unapplied");
    }

    /** A snapshot can be described only at an applied index the log still holds, or at its own base. */
    @Test
    void snapshotMetadataAtNeedsAnIndexStillInTheLog() {
        TestNode node = soloLeader(9);
        node.takeSnapshot(6);
        node.compactLog(6);

        assertThatThrownBy(() -> node.core().snapshotMetadataAt(5)).isInstanceOf(IllegalArgumentException.class);
        SnapshotMetadata atBase = node.core().snapshotMetadataAt(6);
        assertThat(atBase.lastIncludedIndex()).isEqualTo(6);
        assertThat(atBase.lastIncludedTerm()).isEqualTo(node.core().log().snapshotTerm());
        assertThat(node.core().snapshotMetadataAt(10).lastIncludedTerm()).isEqualTo(node.core().log().term(10));
    }

    /**
     * Thesis §5.1: a snapshot records the configuration in force at its last index: the last
     * configuration entry at or below it, else the one the log started from. After compaction
     * discards configuration entries the same answers hold, and the configuration in force is kept.
     */
    @Test
    void snapshotMetadataAtGivesTheConfigurationInForceAtThatIndex() {
        RaftCore core = appliedFollower(List.of(Msgs.entry(1, 1), Msgs.entry(2, 1), config(3, 1, FOUR),
                Msgs.entry(4, 1), config(5, 1, FIVE), Msgs.entry(6, 1), Msgs.entry(7, 1)));
        assertThat(core.clusterConfig()).isEqualTo(FIVE);

        assertThat(core.snapshotMetadataAt(2).config()).isEqualTo(BOOTSTRAP);
        assertThat(core.snapshotMetadataAt(3).config()).isEqualTo(FOUR);
        assertThat(core.snapshotMetadataAt(4).config()).isEqualTo(FOUR);
        assertThat(core.snapshotMetadataAt(5).config()).isEqualTo(FIVE);
        assertThat(core.snapshotMetadataAt(7).config()).isEqualTo(FIVE);

        SnapshotMetadata four = core.snapshotMetadataAt(4);
        core.snapshotSaved(DurableState.localSnapshot(four, new byte[] {1}));
        core.compactLog(4);

        assertThat(core.clusterConfig()).isEqualTo(FIVE);
        assertThat(core.snapshotMetadataAt(4).config()).as("the discarded entry's configuration").isEqualTo(FOUR);
        assertThat(core.snapshotMetadataAt(5).config()).isEqualTo(FIVE);
        assertThat(core.snapshotMetadataAt(6).config()).isEqualTo(FIVE);

        SnapshotMetadata six = core.snapshotMetadataAt(6);
        core.snapshotSaved(DurableState.localSnapshot(six, new byte[] {1}));
        core.compactLog(6);
        assertThat(core.clusterConfig()).isEqualTo(FIVE);
        assertThat(core.snapshotMetadataAt(6).config()).isEqualTo(FIVE);
        assertThat(core.snapshotMetadataAt(7).config()).isEqualTo(FIVE);
    }

    /**
     * Thesis §4.1 after compaction: when an uncommitted configuration entry after the compacted
     * prefix is deleted by a new leader, the configuration in force falls back to the one at the
     * snapshot, which compaction kept although its entry is gone.
     */
    @Test
    void deletingAConfigurationEntryAfterCompactionRestoresTheSnapshotsConfiguration() {
        List<LogEntry> log = List.of(Msgs.entry(1, 1), config(2, 1, FOUR), Msgs.entry(3, 1), Msgs.entry(4, 1));
        RaftCore core = appliedFollower(log);
        core.snapshotSaved(DurableState.localSnapshot(core.snapshotMetadataAt(3), new byte[] {1}));
        core.compactLog(3);
        core.step(new AppendEntriesRequest(1, N1, N2, 4, 1, List.of(config(5, 1, FIVE)), 4));
        assertThat(core.clusterConfig()).isEqualTo(FIVE);

        // A leader of term 2 that never had entry 5 overwrites it (it was not committed).
        core.step(new AppendEntriesRequest(2, N3, N2, 4, 1, List.of(Msgs.entry(5, 2)), 4));

        assertThat(core.log().term(5)).isEqualTo(2);
        assertThat(core.clusterConfig()).isEqualTo(FOUR);
    }
}
