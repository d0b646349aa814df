package io.raftkv.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProgressState;
import io.raftkv.core.RaftCore;
import io.raftkv.core.SnapshotChunk;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.RaftMessage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Paper §7 end to end on the {@link TestCluster} harness, whose safety checker runs after every
 * event (Figure 3, with compacted logs checked through the state machines): a follower cut off
 * while the others snapshot and compact catches up through a chunked InstallSnapshot over a lossy
 * link, also when it crashes in the middle of the transfer.
 */
class SnapshotScenarioTest {
    private static final int ELECTION_TICKS = 15;
    private static final int HEARTBEAT_TICKS = 3;
    private static final int CHUNK = 128;

    private static List<String> commands(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /** Proposes in batches, running the cluster between them, until all are committed and applied. */
    private static void write(TestCluster cluster, String leader, List<String> commands) {
        for (int i = 0; i < commands.size(); i += 10) {
            cluster.proposeAll(leader, commands.subList(i, Math.min(commands.size(), i + 10)));
            cluster.runTicks(1);
        }
        cluster.runTicks(2 * HEARTBEAT_TICKS);
    }

    private static String aFollower(TestCluster cluster, String leader) {
        return cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    /** Every node but {@code lagging} snapshots at its applied index and compacts to it. */
    private static long snapshotAndCompactAllBut(TestCluster cluster, String lagging) {
        long index = 0;
        for (String id : cluster.ids()) {
            if (!id.equals(lagging)) {
                SnapshotMetadata meta = cluster.takeSnapshot(id);
                cluster.compactLog(id, meta.lastIncludedIndex());
                index = Math.max(index, meta.lastIncludedIndex());
            }
        }
        return index;
    }

    /**
     * Isolates a follower after a few entries, writes enough for two rounds of snapshots and
     * compactions on the other servers, then heals the partition. Returns the follower.
     */
    private static String isolateWhileOthersCompact(TestCluster cluster, String leader) {
        write(cluster, leader, commands("a", 10));
        cluster.awaitConvergence(10 * ELECTION_TICKS);
        String lagging = aFollower(cluster, leader);
        cluster.isolate(lagging);
        write(cluster, leader, commands("b", 40));
        snapshotAndCompactAllBut(cluster, lagging);
        write(cluster, leader, commands("c", 40));
        long snapshotIndex = snapshotAndCompactAllBut(cluster, lagging);
        write(cluster, leader, commands("d", 5));
        RaftCore lc = cluster.core(leader);
        assertThat(lc.log().firstIndex()).isEqualTo(snapshotIndex + 1);
        assertThat(cluster.core(lagging).log().lastIndex()).as("the lagging follower needs compacted entries")
                .isLessThan(lc.log().firstIndex() - 1);
        return lagging;
    }

    /** The follower ends with the same state machine state and the same log as the others. */
    private static void assertCaughtUp(TestCluster cluster, String leader, String follower) {
        TestNode f = cluster.node(follower);
        TestNode l = cluster.node(leader);
        assertThat(f.appliedCommands()).isEqualTo(l.appliedCommands());
        assertThat(f.applied()).isEqualTo(l.applied());
        assertThat(f.core().log().lastIndex()).isEqualTo(l.core().log().lastIndex());
        long from = Math.max(f.core().log().firstIndex(), l.core().log().firstIndex());
        List<LogEntry> held = f.core().log().entries(from, f.core().log().lastIndex());
        assertThat(held).isEqualTo(l.core().log().entries(from, l.core().log().lastIndex()));
        assertThat(f.durable().log()).as("what the follower stores continues its snapshot")
                .isEqualTo(f.core().log().entries(f.core().log().firstIndex(), f.core().log().lastIndex()));
    }

    /**
     * §7: a follower isolated while the leader snapshots and compacts catches up through a chunked
     * InstallSnapshot after the partition heals, with every third chunk lost on the way (resent
     * after a heartbeat round without progress), and ends with the same state and log as the others.
     */
    @Test
    void isolatedFollowerCatchesUpThroughAChunkedSnapshotOverALossyLink() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(11).snapshotChunkBytes(CHUNK).build();
        String leader = cluster.awaitLeader(20 * ELECTION_TICKS);
        String lagging = isolateWhileOthersCompact(cluster, leader);
        long snapshotIndex = cluster.core(leader).log().firstIndex() - 1;

        cluster.heal();
        int[] chunksSeen = {0};
        cluster.dropMessages(m -> m instanceof InstallSnapshotRequest && ++chunksSeen[0] % 3 == 0);
        cluster.network().resetCounters();
        cluster.awaitConvergence(100 * ELECTION_TICKS);

        assertThat(cluster.leader()).isEqualTo(leader);
        assertThat(cluster.node(lagging).installedSnapshots()).extracting(SnapshotMetadata::lastIncludedIndex)
                .containsExactly(snapshotIndex);
        List<InstallSnapshotRequest> chunks = cluster.network().sentLog().stream()
                .filter(InstallSnapshotRequest.class::isInstance).map(InstallSnapshotRequest.class::cast).toList();
        long size = chunks.get(0).totalBytes();
        assertThat(size).as("several chunks").isGreaterThan(4L * CHUNK);
        assertThat(chunks).allSatisfy(c -> assertThat(c.data().length).isLessThanOrEqualTo(CHUNK));
        assertThat(chunks.stream().map(InstallSnapshotRequest::offset).distinct().count())
                .isEqualTo((size + CHUNK - 1) / CHUNK);
        assertThat(chunksSeen[0]).as("some chunks were lost and sent again").isGreaterThan((int) ((size + CHUNK - 1) / CHUNK));
        assertCaughtUp(cluster, leader, lagging);

        // Replication continues with plain AppendEntries after the snapshot.
        cluster.propose(leader, "after");
        cluster.awaitConvergence(10 * ELECTION_TICKS);
        assertCaughtUp(cluster, leader, lagging);
        assertThat(cluster.appliedCommands(lagging)).last().isEqualTo("after");
    }

    /**
     * A follower that crashes in the middle of a transfer loses the partly received file (a
     * temporary file) and its core forgets the transfer: after the restart the leader's next chunk
     * is answered with offset 0 and the transfer starts over from the first byte, then completes.
     */
    @Test
    void followerCrashingMidTransferRestartsItFromOffsetZero() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(23).snapshotChunkBytes(CHUNK).build();
        String leader = cluster.awaitLeader(20 * ELECTION_TICKS);
        String lagging = isolateWhileOthersCompact(cluster, leader);
        NodeId laggingId = NodeId.of(lagging);

        cluster.heal();
        cluster.dropMessages(m -> m instanceof InstallSnapshotRequest s && s.offset() >= 3 * CHUNK);
        cluster.runTicks(10 * HEARTBEAT_TICKS);
        TestNode f = cluster.node(lagging);
        assertThat(f.durable().receivingBytes()).as("three chunks received and durable").isEqualTo(3L * CHUNK);
        assertThat(f.installedSnapshots()).isEmpty();
        assertThat(cluster.core(leader).progressStates()).containsEntry(laggingId, ProgressState.SNAPSHOT);

        cluster.crash(lagging);
        cluster.restart(lagging);
        assertThat(f.durable().receivingBytes()).as("the partial file is gone").isEqualTo(-1);
        f.takeReadies();
        cluster.heal();
        cluster.network().resetCounters();
        cluster.awaitConvergence(100 * ELECTION_TICKS);

        List<Long> offsetsAfterRestart = f.takeReadies().stream().flatMap(r -> r.snapshotChunks().stream())
                .map(SnapshotChunk::offset).toList();
        assertThat(offsetsAfterRestart).as("the file is written again from its first byte, in order").isNotEmpty()
                .startsWith(0L).isSorted().doesNotHaveDuplicates();
        List<RaftMessage> answers = cluster.network().sentLog().stream()
                .filter(m -> m instanceof InstallSnapshotResponse && m.from().equals(laggingId)).toList();
        assertThat(answers).first().satisfies(m -> {
            InstallSnapshotResponse r = (InstallSnapshotResponse) m;
            assertThat(r.nextOffset()).as("the restarted follower asks for the start").isZero();
            assertThat(r.installed()).isFalse();
        });
        assertThat(f.installedSnapshots()).hasSize(1);
        assertCaughtUp(cluster, leader, lagging);
    }

    /**
     * Snapshots everywhere under an unreliable network and crashes (§5.5, §7): nodes snapshot and
     * compact at random moments, messages are dropped, duplicated and reordered, and nodes crash
     * and restart from their snapshots. The safety checker runs after every event; at the end the
     * cluster converges to one state.
     */
    @Test
    void randomSnapshotsCrashesAndLossyNetworkKeepTheClusterSafe() {
        for (long seed = 1; seed <= 4; seed++) {
            TestCluster cluster = TestCluster.builder().voterCount(5).seed(seed).snapshotChunkBytes(64).build();
            cluster.awaitLeader(30 * ELECTION_TICKS);
            cluster.setNetworkFaults(0.1, 0.05, 0.1);
            int next = 0;
            for (int step = 0; step < 300; step++) {
                String leader = cluster.leader();
                if (leader != null && cluster.random().nextInt(3) == 0) {
                    cluster.proposeAll(leader, commands("s" + seed + "-" + next + "-", 3));
                    next++;
                }
                String victim = cluster.ids().get(cluster.random().nextInt(cluster.ids().size()));
                TestNode node = cluster.node(victim);
                int roll = cluster.random().nextInt(100);
                if (roll < 8 && node.isUp() && node.core().log().appliedIndex() >= node.core().log().firstIndex()) {
                    SnapshotMetadata meta = cluster.takeSnapshot(victim);
                    cluster.compactLog(victim, Math.max(0, meta.lastIncludedIndex() - cluster.random().nextInt(3)));
                } else if (roll < 10 && node.isUp()) {
                    cluster.crash(victim);
                } else if (roll < 30 && !node.isUp()) {
                    cluster.restart(victim);
                }
                cluster.runTicks(1);
            }
            for (String id : cluster.ids()) {
                if (!cluster.node(id).isUp()) {
                    cluster.restart(id);
                }
            }
            cluster.clearNetworkFaults();
            String leader = cluster.awaitLeader(40 * ELECTION_TICKS);
            cluster.propose(leader, "final");
            cluster.awaitConvergence(100 * ELECTION_TICKS);
            for (String id : cluster.ids()) {
                assertThat(cluster.node(id).applied()).as("seed %d, %s", seed, id)
                        .isEqualTo(cluster.node(leader).applied());
            }
            assertThat(cluster.checker().highestCommitted()).as("seed %d made progress", seed).isGreaterThan(20);
        }
    }
}
