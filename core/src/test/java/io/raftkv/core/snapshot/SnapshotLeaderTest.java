package io.raftkv.core.snapshot;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.appendRejected;
import static io.raftkv.core.harness.Msgs.heartbeatResponse;
import static io.raftkv.core.harness.Msgs.snapshotResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.HardState;
import io.raftkv.core.InitialState;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProgressState;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.harness.DurableState;
import io.raftkv.core.harness.Msgs;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.RaftMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Paper §7 (Figure 13) and thesis ch. 5, the leader's side: a follower whose next entry the leader
 * has compacted away receives the latest snapshot instead, in chunks of
 * {@code snapshotChunkBytes}, one at a time, resumed from the offset the follower reports; then
 * replication continues after the snapshot. Leader n1 is driven by hand; n2 acknowledges what it
 * is sent and n3 is the lagging follower.
 */
class SnapshotLeaderTest {
    private static final int CHUNK = 64;
    private static final int HEARTBEAT_TICKS = 3;

    /** A leader of n1..n3 elected from this durable log (check-quorum off: idle ticks cannot depose it). */
    private static TestNode leader(long... logTerms) {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").checkQuorum(false).snapshotChunkBytes(CHUNK)
                .heartbeatTicks(HEARTBEAT_TICKS).log(logTerms).build();
        node.electSelf();
        return node;
    }

    /** Proposes {@code count} commands and lets n2 acknowledge the whole log, which commits and applies it. */
    private static void replicateToN2(TestNode leader, int count) {
        leader.proposeAll(IntStream.range(0, count).mapToObj(i -> "c" + leader.core().log().lastIndex() + "-" + i)
                .toList());
        long last = leader.core().log().lastIndex();
        leader.step(appendAccepted("n2", "n1", leader.core().currentTerm(), last));
        assertThat(leader.core().log().commitIndex()).isEqualTo(last);
        assertThat(leader.core().log().appliedIndex()).isEqualTo(last);
    }

    /** A leader with 21 committed entries (the no-op and 20 commands), snapshotted and compacted through 21. */
    private static TestNode compactedLeader() {
        TestNode leader = leader();
        replicateToN2(leader, 20);
        SnapshotMetadata meta = leader.takeSnapshot();
        assertThat(meta.lastIncludedIndex()).isEqualTo(21);
        leader.compactLog(21);
        assertThat(leader.core().log().firstIndex()).isEqualTo(22);
        leader.takeSent();
        return leader;
    }

    private static List<InstallSnapshotRequest> chunksTo(List<RaftMessage> sent, String peer) {
        return sent.stream().filter(InstallSnapshotRequest.class::isInstance).map(InstallSnapshotRequest.class::cast)
                .filter(m -> m.to().value().equals(peer)).toList();
    }

    private static InstallSnapshotRequest onlyChunkTo(TestNode leader, String peer) {
        List<InstallSnapshotRequest> chunks = chunksTo(leader.takeSent(), peer);
        assertThat(chunks).as("InstallSnapshot chunks to %s", peer).hasSize(1);
        return chunks.get(0);
    }

    /** Lets n3 ask for more by answering a heartbeat; the leader probes it and finds its entries compacted. */
    private static InstallSnapshotRequest firstChunkToN3(TestNode leader) {
        leader.step(heartbeatResponse("n3", "n1", leader.core().currentTerm(), 0));
        InstallSnapshotRequest first = onlyChunkTo(leader, "n3");
        assertThat(leader.core().progressStates()).containsEntry(NodeId.of("n3"), ProgressState.SNAPSHOT);
        return first;
    }

    private static ProgressState stateOf(TestNode leader, String peer) {
        return leader.core().progressStates().get(NodeId.of(peer));
    }

    private static long matchOf(TestNode leader, String peer) {
        return leader.core().matchIndexes().get(NodeId.of(peer));
    }

    /**
     * §7: "the leader must occasionally send snapshots to followers that lag behind" — the chunks
     * are read from the registered snapshot, each of snapshotChunkBytes but the last, one at a time
     * (the next leaves only when the previous one is answered), and together they are the file.
     * Meanwhile no AppendEntries go to that follower, even when entries commit, but heartbeats do.
     */
    @Test
    void followerBehindTheCompactedPrefixGetsTheSnapshotInChunksOneAtATime() {
        TestNode leader = compactedLeader();
        byte[] file = leader.durable().snapshotData();
        long term = leader.core().currentTerm();
        assertThat(file.length).as("several chunks").isGreaterThan(3 * CHUNK);

        InstallSnapshotRequest chunk = firstChunkToN3(leader);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int count = 0;
        while (true) {
            count++;
            assertThat(chunk.offset()).isEqualTo(received.size());
            assertThat(chunk.lastIncludedIndex()).isEqualTo(21);
            assertThat(chunk.lastIncludedTerm()).isEqualTo(term);
            assertThat(chunk.config()).isEqualTo(leader.core().clusterConfig());
            assertThat(chunk.totalBytes()).isEqualTo(file.length);
            received.writeBytes(chunk.data());
            if (chunk.done()) {
                break;
            }
            assertThat(chunk.data()).hasSize(CHUNK);

            // One chunk at a time: new entries committing, ticks and heartbeats send no further chunk
            // and no AppendEntries to n3 while this one is unanswered.
            replicateToN2(leader, 1);
            leader.tick(HEARTBEAT_TICKS);
            List<RaftMessage> meanwhile = leader.takeSent();
            assertThat(chunksTo(meanwhile, "n3")).as("no second chunk in flight").isEmpty();
            assertThat(meanwhile).filteredOn(m -> m instanceof AppendEntriesRequest && m.to().value().equals("n3"))
                    .as("no AppendEntries during the transfer").isEmpty();
            assertThat(meanwhile).filteredOn(m -> m instanceof HeartbeatRequest && m.to().value().equals("n3"))
                    .as("heartbeats continue").isNotEmpty();
            assertThat(meanwhile).filteredOn(m -> m instanceof AppendEntriesRequest && m.to().value().equals("n2"))
                    .as("n2 still replicates").isNotEmpty();

            leader.step(snapshotResponse("n3", "n1", term, 21, received.size(), false));
            chunk = onlyChunkTo(leader, "n3");
        }
        assertThat(received.toByteArray()).as("the chunks are the registered snapshot's bytes").isEqualTo(file);
        assertThat(count).isEqualTo((file.length + CHUNK - 1) / CHUNK);
        assertThat(stateOf(leader, "n3")).isEqualTo(ProgressState.SNAPSHOT);
    }

    /**
     * The follower's answer names the offset it expects (Figure 13 step 4 with resumption): the
     * leader continues from there, also backwards (a restarted follower asks for offset 0). An
     * answer about another snapshot is ignored.
     */
    @Test
    void responseWithNextOffsetResumesThere() {
        TestNode leader = compactedLeader();
        long term = leader.core().currentTerm();
        firstChunkToN3(leader);

        leader.step(snapshotResponse("n3", "n1", term, 21, 2 * CHUNK, false));
        assertThat(onlyChunkTo(leader, "n3").offset()).isEqualTo(2 * CHUNK);

        leader.step(snapshotResponse("n3", "n1", term, 21, 0, false));
        assertThat(onlyChunkTo(leader, "n3").offset()).as("the follower restarted: from the start").isZero();

        leader.step(snapshotResponse("n3", "n1", term, 7, 3 * CHUNK, false));
        assertThat(chunksTo(leader.takeSent(), "n3")).as("an answer about another snapshot").isEmpty();
        assertThat(stateOf(leader, "n3")).isEqualTo(ProgressState.SNAPSHOT);
    }

    /**
     * A lost chunk (or its lost answer) is sent again after one heartbeat round in which the
     * transfer made no progress, from the same offset; not earlier, so a chunk still in flight is
     * not duplicated at every heartbeat.
     */
    @Test
    void lostChunkIsResentAfterAHeartbeatRoundWithoutProgress() {
        TestNode leader = compactedLeader();
        long term = leader.core().currentTerm();
        firstChunkToN3(leader);
        leader.step(snapshotResponse("n3", "n1", term, 21, CHUNK, false));
        InstallSnapshotRequest lost = onlyChunkTo(leader, "n3");
        assertThat(lost.offset()).isEqualTo(CHUNK);

        leader.step(heartbeatResponse("n3", "n1", term, 0));
        assertThat(chunksTo(leader.takeSent(), "n3")).as("progress was made since the previous heartbeat").isEmpty();

        leader.step(heartbeatResponse("n3", "n1", term, 0));
        InstallSnapshotRequest resent = onlyChunkTo(leader, "n3");
        assertThat(resent.offset()).isEqualTo(CHUNK);
        assertThat(resent.data()).isEqualTo(lost.data());

        leader.step(snapshotResponse("n3", "n1", term, 21, 2 * CHUNK, false));
        assertThat(onlyChunkTo(leader, "n3").offset()).isEqualTo(2 * CHUNK);
    }

    /**
     * A chunk resent because its answer was slow (not lost) is answered twice. The second answer
     * names the offset of the chunk already sent in reply to the first, so it sends nothing: else
     * every later chunk would travel twice, and each further slow round would add another copy.
     */
    @Test
    void answerToAResentChunkDoesNotDuplicateTheRestOfTheTransfer() {
        TestNode leader = compactedLeader();
        long term = leader.core().currentTerm();
        firstChunkToN3(leader);
        leader.step(heartbeatResponse("n3", "n1", term, 0));
        leader.step(heartbeatResponse("n3", "n1", term, 0));
        assertThat(onlyChunkTo(leader, "n3").offset()).as("resent: no progress for a heartbeat round").isZero();

        leader.step(snapshotResponse("n3", "n1", term, 21, CHUNK, false)); // answer to the first copy
        leader.step(snapshotResponse("n3", "n1", term, 21, CHUNK, false)); // answer to the resent copy

        assertThat(onlyChunkTo(leader, "n3").offset()).as("one copy of the next chunk").isEqualTo(CHUNK);
        leader.step(snapshotResponse("n3", "n1", term, 21, 2 * CHUNK, false));
        assertThat(onlyChunkTo(leader, "n3").offset()).isEqualTo(2 * CHUNK);
    }

    /**
     * Once the follower installed the snapshot, its log matches the leader's through the snapshot's
     * index: the leader sets matchIndex there, probes from the next index and replication carries
     * on until the follower holds the whole log (§5.3), here with a real follower core.
     */
    @Test
    void installedFollowerIsProbedFromTheSnapshotAndCatchesUp() {
        TestNode leader = compactedLeader();
        replicateToN2(leader, 9);
        leader.takeSent();
        TestNode n3 = TestNode.builder("n3").voters("n1", "n2", "n3").build();
        List<String> observed = new ArrayList<>();

        leader.step(heartbeatResponse("n3", "n1", leader.core().currentTerm(), 0));
        for (int round = 0; round < 1_000; round++) {
            List<RaftMessage> toN3 = leader.takeSent().stream().filter(m -> m.to().value().equals("n3")).toList();
            List<RaftMessage> toLeader = n3.takeSent();
            if (toN3.isEmpty() && toLeader.isEmpty()) {
                break;
            }
            toN3.forEach(n3::step);
            for (RaftMessage m : toLeader) {
                leader.step(m);
                if (m instanceof InstallSnapshotResponse r && r.installed()) {
                    observed.add(stateOf(leader, "n3") + "@" + matchOf(leader, "n3"));
                }
            }
        }

        assertThat(observed).containsExactly("PROBE@21");
        assertThat(n3.installedSnapshots()).extracting(SnapshotMetadata::lastIncludedIndex).containsExactly(21L);
        assertThat(stateOf(leader, "n3")).isEqualTo(ProgressState.REPLICATE);
        assertThat(matchOf(leader, "n3")).isEqualTo(30);
        assertThat(n3.core().log().firstIndex()).isEqualTo(22);
        assertThat(n3.core().log().entries(22, 30)).isEqualTo(leader.core().log().entries(22, 30));
        assertThat(n3.core().log().commitIndex()).isEqualTo(30);
        assertThat(n3.applied()).as("same state machine state").isEqualTo(leader.applied());
    }

    /**
     * §5.3's conflict hint may point into the compacted prefix (there the leader cannot compare
     * terms): the leader falls back to a snapshot instead of failing. A hint that lands exactly on
     * the snapshot's last index is still answered with AppendEntries, whose prevLogTerm is the
     * snapshot's term.
     */
    @Test
    void conflictHintBelowTheSnapshotLeadsToASnapshot() {
        // Durable log 1..10 (terms 1, 1, 1, 1, 1, 2, 2, 2, 2, 2); elected in term 3 with its no-op at 11.
        long[] terms = {1, 1, 1, 1, 1, 2, 2, 2, 2, 2};
        for (long[] hint : new long[][] {{1, 3}, {0, 4}, {2, 6}}) {
            TestNode leader = leader(terms);
            long term = leader.core().currentTerm();
            replicateToN2(leader, 0);
            leader.takeSnapshot();
            leader.compactLog(11);
            leader.takeSent();

            assertThatCode(() -> leader.step(appendRejected("n3", "n1", term, 10, hint[0], hint[1])))
                    .as("hint term %d index %d", hint[0], hint[1]).doesNotThrowAnyException();

            InstallSnapshotRequest chunk = onlyChunkTo(leader, "n3");
            assertThat(chunk.offset()).isZero();
            assertThat(chunk.lastIncludedIndex()).isEqualTo(11);
            assertThat(stateOf(leader, "n3")).isEqualTo(ProgressState.SNAPSHOT);
        }

        TestNode leader = leader(terms);
        long term = leader.core().currentTerm();
        replicateToN2(leader, 0);
        leader.takeSnapshot(5);
        leader.compactLog(5);
        leader.takeSent();
        leader.step(appendRejected("n3", "n1", term, 10, 1, 3));
        List<RaftMessage> sent = leader.takeSent();
        assertThat(chunksTo(sent, "n3")).isEmpty();
        assertThat(sent).filteredOn(AppendEntriesRequest.class::isInstance).singleElement().satisfies(m -> {
            AppendEntriesRequest a = (AppendEntriesRequest) m;
            assertThat(a.prevLogIndex()).isEqualTo(5);
            assertThat(a.prevLogTerm()).isEqualTo(1);
        });
    }

    /**
     * Thesis §5.1: snapshots are retired once newer ones exist. A transfer whose snapshot can no
     * longer be read starts over from offset 0 with the newest registered snapshot; one that can
     * still be read goes on with it.
     */
    @Test
    void transferOfARetiredSnapshotStartsOverWithTheNewest() {
        TestNode leader = leader();
        replicateToN2(leader, 20);
        long term = leader.core().currentTerm();
        SnapshotMetadata oldMeta = leader.core().snapshotMetadataAt(21);
        byte[] oldFile = new byte[5 * CHUNK];
        Arrays.fill(oldFile, (byte) 7);
        boolean[] retired = {false};
        leader.core().snapshotSaved(new LocalSnapshot(oldMeta, oldFile.length, (offset, max) -> {
            if (retired[0]) {
                throw new IllegalStateException("snapshot file deleted");
            }
            return Arrays.copyOfRange(oldFile, (int) offset, (int) Math.min(oldFile.length, offset + max));
        }));
        leader.core().compactLog(21);
        leader.takeSent();
        assertThat(firstChunkToN3(leader).data()).containsOnly(7);
        leader.step(snapshotResponse("n3", "n1", term, 21, CHUNK, false));
        assertThat(onlyChunkTo(leader, "n3").offset()).isEqualTo(CHUNK);

        replicateToN2(leader, 5);
        SnapshotMetadata newMeta = leader.takeSnapshot();
        leader.takeSent();
        leader.step(snapshotResponse("n3", "n1", term, 21, 2 * CHUNK, false));
        InstallSnapshotRequest stillOld = onlyChunkTo(leader, "n3");
        assertThat(stillOld.lastIncludedIndex()).as("the old file is still readable").isEqualTo(21);
        assertThat(stillOld.offset()).isEqualTo(2 * CHUNK);

        retired[0] = true;
        leader.step(snapshotResponse("n3", "n1", term, 21, 3 * CHUNK, false));
        InstallSnapshotRequest restarted = onlyChunkTo(leader, "n3");
        assertThat(restarted.lastIncludedIndex()).isEqualTo(newMeta.lastIncludedIndex());
        assertThat(restarted.offset()).isZero();
        assertThat(restarted.data()).isEqualTo(Arrays.copyOf(leader.durable().snapshotData(), CHUNK));
    }

    /**
     * A server whose log starts after a snapshot it installed can send only a snapshot registered
     * with it (the driver registers the installed one after advance, Ready contract). If the newest
     * registered snapshot is older than its log's start, sending it could never let a follower
     * catch up (the follower installs it, and its next entries are still compacted): the core
     * fails fast on this driver error instead of sending snapshots in a loop.
     */
    @Test
    void leaderWithoutASnapshotCoveringItsCompactedPrefixFailsFast() {
        NodeId n1 = NodeId.of("n1");
        ClusterConfig voters = ClusterConfig.ofVoters(
                List.of(n1, NodeId.of("n2"), NodeId.of("n3")));
        RaftCore core = new RaftCore(
                RaftConfig.builder(n1).preVote(false).checkQuorum(false).snapshotChunkBytes(CHUNK).build(),
                new SplittableRandom(5), new InitialState(voters,
                new HardState(1, null, 3), Msgs.log(1, 1, 1)));
        drain(core);
        core.snapshotSaved(DurableState.localSnapshot(core.snapshotMetadataAt(2), new byte[] {1}));
        // A snapshot through 10 arrives from leader n2 of term 2 and is installed, but never registered.
        SnapshotMetadata ten = new SnapshotMetadata(10, 2, voters);
        byte[] file = new byte[] {1, 2, 3};
        core.step(new InstallSnapshotRequest(2, NodeId.of("n2"), n1, 10, 2, voters, file.length, 0, file,
                true));
        drain(core);
        assertThat(core.log().firstIndex()).isEqualTo(11);

        for (int t = 0; t < 100 && core.role() != RaftRole.CANDIDATE; t++) {
            core.tick();
        }
        core.step(Msgs.voteGranted("n3", "n1", core.currentTerm()));
        assertThat(core.role()).isEqualTo(RaftRole.LEADER);
        drain(core);
        long term = core.currentTerm();

        assertThatThrownBy(() -> {
            core.step(appendRejected("n3", "n1", term, 10, 0, 4));
            drain(core);
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("snapshotSaved");
    }

    private static void drain(RaftCore core) {
        while (core.hasReady()) {
            core.advance(core.ready());
        }
    }

    /** Figure 13 step 1, the sender's side: an answer with a newer term deposes the leader (§5.1). */
    @Test
    void answerWithANewerTermDeposesTheLeader() {
        TestNode leader = compactedLeader();
        firstChunkToN3(leader);

        leader.step(snapshotResponse("n3", "n1", leader.core().currentTerm() + 1, 21, 0, false));

        assertThat(leader.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(leader.core().progressStates()).isEmpty();
    }
}
