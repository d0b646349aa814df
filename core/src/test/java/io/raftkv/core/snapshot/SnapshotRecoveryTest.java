package io.raftkv.core.snapshot;

import static io.raftkv.core.harness.Msgs.entriesFrom;
import static io.raftkv.core.harness.Msgs.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.InitialState;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.Ready;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.harness.DurableState;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Paper §5.5 and §7, thesis ch. 5, R-DISK-4: a restarted server starts from its durable snapshot
 * plus the log entries that continue it ({@link InitialState}). Crashes between the durable steps
 * of taking, compacting and installing leave logs that overlap the snapshot, or belong to another
 * history, or a commit hint ahead of the log; recovery normalizes each.
 */
class SnapshotRecoveryTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");
    private static final NodeId N3 = NodeId.of("n3");
    private static final NodeId N4 = NodeId.of("n4");
    private static final ClusterConfig BOOTSTRAP = ClusterConfig.ofVoters(List.of(N1, N2, N3));
    private static final ClusterConfig FOUR = ClusterConfig.ofVoters(List.of(N1, N2, N3, N4));

    private static LocalSnapshot snapshot(long index, long term, ClusterConfig config) {
        return DurableState.localSnapshot(new SnapshotMetadata(index, term, config), new byte[] {1, 2, 3});
    }

    private static RaftCore start(InitialState initial) {
        return new RaftCore(RaftConfig.builder(N2).build(), new SplittableRandom(1), initial);
    }

    /**
     * A crash after the snapshot was written but before the log was compacted: the entries the
     * snapshot covers are dropped, the ones after it kept.
     */
    @Test
    void entriesCoveredByTheSnapshotAreDropped() {
        InitialState initial = new InitialState(BOOTSTRAP, snapshot(5, 2, FOUR), new HardState(3, null, 5),
                List.of(entriesFrom(3, 1, 2, 2, 3, 3, 3)));

        assertThat(initial.log()).containsExactly(entriesFrom(6, 3, 3, 3));

        RaftCore core = start(initial);
        assertThat(core.log().firstIndex()).isEqualTo(6);
        assertThat(core.log().lastIndex()).isEqualTo(8);
        assertThat(core.log().term(5)).isEqualTo(2);
        assertThat(core.log().commitIndex()).isEqualTo(5);
        assertThat(core.log().appliedIndex()).as("the state machine starts from the snapshot").isEqualTo(5);
        assertThat(core.clusterConfig()).isEqualTo(FOUR);
        assertThat(core.latestSnapshot().metadata().lastIncludedIndex()).isEqualTo(5);
    }

    /**
     * A crash in the middle of installing a snapshot received from a leader (Figure 13 step 7 not
     * yet carried out on disk): a log whose entry at the snapshot's index has another term, or that
     * ends before it, does not continue the snapshot and is dropped whole.
     */
    @Test
    void logThatDoesNotContinueTheSnapshotIsDropped() {
        InitialState conflicting = new InitialState(BOOTSTRAP, snapshot(5, 3, FOUR), new HardState(3, null, 2),
                List.of(entriesFrom(1, 1, 1, 2, 2, 2, 2, 2)));
        InitialState tooShort = new InitialState(BOOTSTRAP, snapshot(5, 3, FOUR), new HardState(3, null, 2),
                List.of(entriesFrom(1, 1, 1, 2)));

        for (InitialState initial : List.of(conflicting, tooShort)) {
            assertThat(initial.log()).isEmpty();
            RaftCore core = start(initial);
            assertThat(core.log().firstIndex()).isEqualTo(6);
            assertThat(core.log().lastIndex()).isEqualTo(5);
            assertThat(core.log().term(5)).isEqualTo(3);
            assertThat(core.log().commitIndex()).as("the snapshot is committed").isEqualTo(5);
            assertThat(core.clusterConfig()).isEqualTo(FOUR);
        }
    }

    /** A log that starts after a gap following the snapshot has lost entries: storage is corrupt. */
    @Test
    void logStartingAfterAGapFollowingTheSnapshotIsRefused() {
        assertThatThrownBy(() -> new InitialState(BOOTSTRAP, snapshot(5, 2, BOOTSTRAP), new HardState(3, null, 5),
                List.of(entriesFrom(7, 3, 3)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InitialState(BOOTSTRAP, null, new HardState(3, null, 0),
                List.of(entriesFrom(2, 3, 3)))).as("without a snapshot the log starts at 1")
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A torn write can keep a commit index whose entries did not reach the disk: it is lowered to
     * the last recovered index (nothing of that write was acknowledged). A commit hint below the
     * snapshot is raised to the snapshot, which covers only committed entries.
     */
    @Test
    void commitIndexBeyondTheLogIsLowered() {
        InitialState withSnapshot = new InitialState(BOOTSTRAP, snapshot(5, 2, BOOTSTRAP), new HardState(3, null, 9),
                List.of(entriesFrom(6, 3, 3)));
        assertThat(withSnapshot.hardState().commitIndex()).isEqualTo(7);
        assertThat(start(withSnapshot).log().commitIndex()).isEqualTo(7);

        InitialState withoutLog = new InitialState(BOOTSTRAP, snapshot(5, 2, BOOTSTRAP), new HardState(3, null, 9),
                List.of());
        assertThat(withoutLog.hardState().commitIndex()).isEqualTo(5);

        InitialState withoutSnapshot = new InitialState(BOOTSTRAP, new HardState(3, null, 5),
                List.of(entriesFrom(1, 1, 2, 3)));
        assertThat(withoutSnapshot.hardState().commitIndex()).isEqualTo(3);

        InitialState behindSnapshot = new InitialState(BOOTSTRAP, snapshot(5, 2, BOOTSTRAP), new HardState(3, null, 1),
                List.of(entriesFrom(6, 3)));
        assertThat(start(behindSnapshot).log().commitIndex()).isEqualTo(5);
    }

    /**
     * R-DISK-4: a restarted server replays only the committed entries after its snapshot, and the
     * configuration in force is the last one in the kept log, else the snapshot's.
     */
    @Test
    void restartAppliesOnlyEntriesAfterTheSnapshotWithTheRightConfiguration() {
        LogEntry configEntry = new LogEntry(7, 3, EntryType.CONFIG, BOOTSTRAP.encode());
        InitialState initial = new InitialState(BOOTSTRAP, snapshot(5, 2, FOUR), new HardState(3, null, 7),
                List.of(entry(5, 2), entry(6, 3), configEntry, entry(8, 3)));
        RaftCore core = start(initial);
        assertThat(core.clusterConfig()).as("the kept log's configuration entry").isEqualTo(BOOTSTRAP);

        Ready ready = core.ready();
        assertThat(ready.committedEntries()).extracting(LogEntry::index).containsExactly(6L, 7L);
        assertThat(ready.entriesToPersist()).as("recovered entries are durable already").isEmpty();
        core.advance(ready);
        assertThat(core.log().appliedIndex()).isEqualTo(7);

        RaftCore fromSnapshotOnly = start(new InitialState(BOOTSTRAP, snapshot(5, 2, FOUR), new HardState(3, null, 5),
                List.of(entry(6, 3))));
        assertThat(fromSnapshotOnly.clusterConfig()).isEqualTo(FOUR);
    }
}
