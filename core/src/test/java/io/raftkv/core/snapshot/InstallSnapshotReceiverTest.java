package io.raftkv.core.snapshot;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.entry;
import static io.raftkv.core.harness.Msgs.heartbeat;
import static io.raftkv.core.harness.Msgs.snapshotChunk;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.InitialState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import io.raftkv.core.Ready;
import io.raftkv.core.SnapshotChunk;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.harness.Msgs;
import io.raftkv.core.harness.SnapshotCodec;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.core.message.RequestVoteRequest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Paper §7, Figure 13, "InstallSnapshot RPC — Receiver implementation", one chunk at a time, and
 * the Ready contract for received snapshots (chunks persisted before they are acknowledged, the
 * install carried out by the driver before the core answers). One follower core is driven by
 * hand with hand-made requests from leader n1.
 */
class InstallSnapshotReceiverTest {
    private static final NodeId N2 = NodeId.of("n2");
    private static final ClusterConfig BOOTSTRAP =
            ClusterConfig.ofVoters(List.of(NodeId.of("n1"), N2, NodeId.of("n3")));
    /** The configuration the snapshots carry: differs from the bootstrap one, so its adoption shows. */
    private static final ClusterConfig GROWN =
            ClusterConfig.ofVoters(List.of(NodeId.of("n1"), N2, NodeId.of("n3"), NodeId.of("n4")));
    private static final int CHUNK = 40;
    private static final int ELECTION_TICKS = 10;

    /** A snapshot of the harness state machine after applying entries 1..n with these terms. */
    private record Snapshot(SnapshotMetadata meta, byte[] file) {
        static Snapshot of(ClusterConfig config, long... terms) {
            List<LogEntry> state = Msgs.log(terms);
            return new Snapshot(new SnapshotMetadata(terms.length, terms[terms.length - 1], config),
                    SnapshotCodec.encode(state));
        }

        InstallSnapshotRequest chunk(long term, int offset) {
            return snapshotChunk("n1", "n2", term, meta, file, offset, CHUNK);
        }

        /** Offsets of every chunk of size CHUNK, the done chunk last. */
        List<Integer> offsets() {
            List<Integer> out = new ArrayList<>();
            for (int o = 0; o < file.length; o += CHUNK) {
                out.add(o);
            }
            return out;
        }

        int lastOffset() {
            List<Integer> all = offsets();
            return all.get(all.size() - 1);
        }
    }

    /** The snapshot through index 10 in term 3 that the follower of {@link #bareFollower} receives. */
    private static final Snapshot TEN = Snapshot.of(GROWN, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3);

    /** A bare follower core n2 with a durable log, everything recovered already handed out and advanced. */
    private static RaftCore bareFollower(long term, long commitIndex, long... logTerms) {
        RaftCore core = new RaftCore(RaftConfig.builder(N2).electionTicks(ELECTION_TICKS).heartbeatTicks(2).build(),
                new SplittableRandom(3), new InitialState(BOOTSTRAP, new HardState(term, null, commitIndex),
                Msgs.log(logTerms)));
        while (core.hasReady()) {
            core.advance(core.ready());
        }
        return core;
    }

    /** A follower n2 run by the harness driver: chunks persisted and snapshots installed per the contract. */
    private static TestNode follower(long term, long commitIndex, long... logTerms) {
        return TestNode.builder("n2").voters("n1", "n2", "n3").term(term).commitIndex(commitIndex).log(logTerms)
                .electionTicks(ELECTION_TICKS).heartbeatTicks(2).build();
    }

    /** Steps one message into a bare core and takes the single Ready it produces. */
    private static Ready stepAndTake(RaftCore core, RaftMessage message) {
        core.step(message);
        assertThat(core.hasReady()).as("a Ready after %s", message).isTrue();
        Ready ready = core.ready();
        assertThat(core.hasReady()).as("one Ready per step").isFalse();
        return ready;
    }

    private static List<InstallSnapshotResponse> responses(List<RaftMessage> messages) {
        return messages.stream().filter(InstallSnapshotResponse.class::isInstance)
                .map(InstallSnapshotResponse.class::cast).toList();
    }

    private static List<InstallSnapshotResponse> allResponses(Ready ready) {
        return responses(Stream.concat(ready.messages().stream(), ready.messagesAfterPersist().stream()).toList());
    }

    private static InstallSnapshotResponse onlyResponse(TestNode node) {
        List<InstallSnapshotResponse> sent = node.takeSent(InstallSnapshotResponse.class);
        assertThat(sent).as("InstallSnapshot responses of %s", node).hasSize(1);
        return sent.get(0);
    }

    /** Every chunk the node handed to its driver since the last takeReadies, in order. */
    private static List<SnapshotChunk> chunksHandedOut(TestNode node) {
        return node.takeReadies().stream().flatMap(r -> r.snapshotChunks().stream()).toList();
    }

    /** Feeds the whole snapshot to a bare core, advancing each Ready; returns the Ready of the done chunk, not advanced. */
    private static Ready feedAllButInstall(RaftCore core, long term, Snapshot snapshot) {
        Ready last = null;
        for (int offset : snapshot.offsets()) {
            if (last != null) {
                core.advance(last);
            }
            last = stepAndTake(core, snapshot.chunk(term, offset));
        }
        return last;
    }

    /**
     * Figure 13 steps 2-4 and the Ready contract: a chunk at the expected offset is handed to the
     * driver in {@link Ready#snapshotChunks()}, to be written at its offset, and the answer with
     * the next offset leaves only in {@link Ready#messagesAfterPersist()}, after the chunk is durable.
     */
    @Test
    void chunksAtTheExpectedOffsetAreHandedOutInOrderAndAnsweredAfterPersist() {
        RaftCore core = bareFollower(2, 1, 1, 1, 2);
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        for (int offset : TEN.offsets().subList(0, 3)) {
            Ready ready = stepAndTake(core, TEN.chunk(3, offset));

            assertThat(ready.snapshotChunks()).singleElement().satisfies(c -> {
                assertThat(c.offset()).isEqualTo(offset);
                assertThat(c.metadata()).isEqualTo(TEN.meta());
                assertThat(c.totalBytes()).isEqualTo(TEN.file().length);
                assertThat(c.done()).isFalse();
                received.writeBytes(c.data());
            });
            assertThat(ready.needsPersist()).isTrue();
            assertThat(ready.snapshotToInstall()).isNull();
            assertThat(responses(ready.messages())).as("nothing answered before the chunk is durable").isEmpty();
            assertThat(responses(ready.messagesAfterPersist())).singleElement().satisfies(r -> {
                assertThat(r.nextOffset()).isEqualTo(offset + CHUNK);
                assertThat(r.installed()).isFalse();
                assertThat(r.lastIncludedIndex()).isEqualTo(10);
                assertThat(r.term()).isEqualTo(3);
                assertThat(r.to()).hasToString("n1");
            });
            core.advance(ready);
        }

        byte[] expected = Arrays.copyOf(TEN.file(), 3 * CHUNK);
        assertThat(received.toByteArray()).as("the chunks, in order, are the file's first bytes").isEqualTo(expected);
        assertThat(core.leaderId()).hasToString("n1");
        assertThat(core.currentTerm()).isEqualTo(3);
        assertThat(core.log().lastIndex()).as("nothing installed before the last chunk").isEqualTo(3);
        assertThat(core.log().commitIndex()).isEqualTo(1);
    }

    /**
     * Figure 13 step 4 with chunk-level recovery: a duplicate chunk and a chunk after a gap (a lost
     * chunk) hand nothing to the driver and are answered with the offset this follower expects, so
     * the leader resumes there; the expected chunk is then accepted.
     */
    @Test
    void duplicateOrGapChunkHandsNothingOutAndAnswersTheExpectedOffset() {
        RaftCore core = bareFollower(2, 1, 1, 1, 2);
        core.advance(stepAndTake(core, TEN.chunk(3, 0)));
        core.advance(stepAndTake(core, TEN.chunk(3, CHUNK)));

        for (int offset : List.of(0, CHUNK, 3 * CHUNK, 4 * CHUNK)) {
            Ready ready = stepAndTake(core, TEN.chunk(3, offset));
            assertThat(ready.snapshotChunks()).as("chunk at %d", offset).isEmpty();
            assertThat(ready.snapshotToInstall()).isNull();
            assertThat(allResponses(ready)).as("chunk at %d", offset).singleElement().satisfies(r -> {
                assertThat(r.nextOffset()).isEqualTo(2 * CHUNK);
                assertThat(r.installed()).isFalse();
                assertThat(r.lastIncludedIndex()).isEqualTo(10);
            });
            core.advance(ready);
        }

        Ready resumed = stepAndTake(core, TEN.chunk(3, 2 * CHUNK));
        assertThat(resumed.snapshotChunks()).extracting(SnapshotChunk::offset).containsExactly((long) 2 * CHUNK);
        assertThat(responses(resumed.messagesAfterPersist())).extracting(InstallSnapshotResponse::nextOffset)
                .containsExactly((long) 3 * CHUNK);
    }

    /**
     * Figure 13 steps 5-8 and the Ready contract: the done chunk yields
     * {@link Ready#snapshotToInstall()} and no answer; only once the driver installed it and called
     * advance does the core answer installed=true, with its log starting after the snapshot, its
     * commit and applied indexes at the snapshot's index and the snapshot's configuration in force.
     */
    @Test
    void doneChunkIsInstalledByTheDriverAndAnsweredOnlyAfterAdvance() {
        RaftCore core = bareFollower(2, 1, 1, 1, 2);

        Ready done = feedAllButInstall(core, 3, TEN);

        assertThat(done.snapshotChunks()).singleElement().satisfies(c -> {
            assertThat(c.done()).isTrue();
            assertThat(c.offset()).isEqualTo(TEN.lastOffset());
        });
        assertThat(done.snapshotToInstall()).isEqualTo(TEN.meta());
        assertThat(allResponses(done)).as("no answer before the install").isEmpty();
        assertThat(core.hasReady()).isFalse();
        assertThat(core.log().firstIndex()).as("not installed before advance").isEqualTo(1);

        core.advance(done);

        assertThat(core.log().firstIndex()).isEqualTo(11);
        assertThat(core.log().lastIndex()).isEqualTo(10);
        assertThat(core.log().snapshotTerm()).isEqualTo(3);
        assertThat(core.log().term(10)).isEqualTo(3);
        assertThat(core.log().commitIndex()).isEqualTo(10);
        assertThat(core.log().appliedIndex()).isEqualTo(10);
        assertThat(core.clusterConfig()).isEqualTo(GROWN);
        assertThat(core.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(core.hasReady()).isTrue();
        Ready answer = core.ready();
        assertThat(answer.committedEntries()).as("the snapshot's entries are not applied one by one").isEmpty();
        assertThat(answer.needsPersist()).as("the snapshot is durable; the commit index alone needs no fsync")
                .isFalse();
        assertThat(responses(answer.messages())).isEmpty();
        assertThat(responses(answer.messagesAfterPersist())).singleElement().satisfies(r -> {
            assertThat(r.installed()).isTrue();
            assertThat(r.lastIncludedIndex()).isEqualTo(10);
            assertThat(r.nextOffset()).isEqualTo(TEN.file().length);
            assertThat(r.to()).hasToString("n1");
        });
        core.advance(answer);

        // Replication continues right after the snapshot (prevLogIndex = lastIncludedIndex, §7).
        core.step(append("n1", "n2", 3, 10, 3, 11, entry(11, 3)));
        Ready appended = core.ready();
        assertThat(appended.entriesToPersist()).extracting(LogEntry::index).containsExactly(11L);
        assertThat(appended.messagesAfterPersist()).filteredOn(AppendEntriesResponse.class::isInstance)
                .singleElement().satisfies(m -> assertThat(((AppendEntriesResponse) m).success()).isTrue());
    }

    /**
     * Figure 13 step 6: "If existing log entry has same index and term as snapshot's last included
     * entry, retain log entries following it". The driver's stored log keeps the same entries as the
     * core's (Ready contract, step 4), and the state machine's state is the snapshot's.
     */
    @Test
    void logSuffixIsKeptWhenItHoldsTheSnapshotsLastEntry() {
        TestNode node = follower(3, 1, 1, 1, 2, 2, 3, 3);
        Snapshot four = Snapshot.of(GROWN, 1, 1, 2, 2);

        for (int offset : four.offsets()) {
            node.step(snapshotChunk("n1", "n2", 3, four.meta(), four.file(), offset, CHUNK));
        }

        assertThat(node.installedSnapshots()).containsExactly(four.meta());
        assertThat(node.core().log().firstIndex()).isEqualTo(5);
        assertThat(node.core().log().lastIndex()).isEqualTo(6);
        assertThat(node.logTerms()).containsExactly(3, 3);
        assertThat(node.core().log().commitIndex()).isEqualTo(4);
        assertThat(node.durable().log()).as("stored log").containsExactly(entry(5, 3), entry(6, 3));
        assertThat(node.applied()).as("state machine state").containsExactlyElementsOf(Msgs.log(1, 1, 2, 2));
        assertThat(node.sent(InstallSnapshotResponse.class)).last().satisfies(r -> assertThat(r.installed()).isTrue());
    }

    /**
     * Figure 13 step 7: "Discard the entire log" when it does not hold the snapshot's last entry
     * with its term, whether it holds a conflicting entry there or is too short.
     */
    @Test
    void logIsDroppedWhenItDoesNotHoldTheSnapshotsLastEntry() {
        Snapshot four = Snapshot.of(GROWN, 1, 1, 3, 3);
        TestNode conflicting = follower(2, 1, 1, 1, 2, 2, 2, 2);
        TestNode tooShort = follower(2, 1, 1, 1, 2);

        for (TestNode node : List.of(conflicting, tooShort)) {
            for (int offset : four.offsets()) {
                node.step(snapshotChunk("n1", "n2", 3, four.meta(), four.file(), offset, CHUNK));
            }

            assertThat(node.installedSnapshots()).as("%s", node).containsExactly(four.meta());
            assertThat(node.core().log().firstIndex()).isEqualTo(5);
            assertThat(node.core().log().lastIndex()).as("%s", node).isEqualTo(4);
            assertThat(node.core().log().term(4)).isEqualTo(3);
            assertThat(node.core().log().commitIndex()).isEqualTo(4);
            assertThat(node.durable().log()).as("stored log of %s", node).isEmpty();
            assertThat(node.applied()).containsExactlyElementsOf(Msgs.log(1, 1, 3, 3));
            assertThat(node.core().clusterConfig()).isEqualTo(GROWN);
        }
    }

    /**
     * Figure 13 step 6 with thesis §4.1: when the kept suffix holds a configuration entry, that
     * entry stays in force; the snapshot's configuration becomes the base under it.
     */
    @Test
    void configurationEntryInAKeptSuffixStaysInForce() {
        ClusterConfig five = ClusterConfig.ofVoters(List.of(NodeId.of("n1"), N2, NodeId.of("n3"), NodeId.of("n4"),
                NodeId.of("n5")));
        List<LogEntry> log = new ArrayList<>(Msgs.log(1, 1, 2, 2, 3));
        log.add(new LogEntry(6, 3, EntryType.CONFIG, five.encode()));
        RaftCore core = new RaftCore(RaftConfig.builder(N2).build(), new SplittableRandom(3),
                new InitialState(BOOTSTRAP, new HardState(3, null, 1), log));
        while (core.hasReady()) {
            core.advance(core.ready());
        }
        assertThat(core.clusterConfig()).isEqualTo(five);
        Snapshot four = Snapshot.of(GROWN, 1, 1, 2, 2);

        Ready done = feedAllButInstall(core, 3, four);
        core.advance(done);

        assertThat(core.log().firstIndex()).isEqualTo(5);
        assertThat(core.log().lastIndex()).isEqualTo(6);
        assertThat(core.clusterConfig()).isEqualTo(five);
        assertThat(core.snapshotMetadataAt(4).config()).isEqualTo(GROWN);
    }

    /**
     * §7: a snapshot that covers only entries this follower has committed already describes entries
     * it holds (committed entries are the same everywhere, §5.4.3); it is answered installed at
     * once, with nothing handed out and the log untouched.
     */
    @Test
    void snapshotAtOrBelowTheCommitIndexIsAnsweredInstalledAtOnce() {
        RaftCore core = bareFollower(3, 5, 1, 1, 2, 2, 2, 3);
        Snapshot four = Snapshot.of(BOOTSTRAP, 1, 1, 2, 2);
        Snapshot five = Snapshot.of(BOOTSTRAP, 1, 1, 2, 2, 2);

        for (Snapshot s : List.of(four, five)) {
            for (int offset : List.of(0, CHUNK)) {
                Ready ready = stepAndTake(core, snapshotChunk("n1", "n2", 3, s.meta(), s.file(), offset, CHUNK));
                assertThat(ready.snapshotChunks()).isEmpty();
                assertThat(ready.snapshotToInstall()).isNull();
                assertThat(allResponses(ready)).singleElement().satisfies(r -> {
                    assertThat(r.installed()).isTrue();
                    assertThat(r.lastIncludedIndex()).as("an index this follower holds, at least the snapshot's")
                            .isBetween(s.meta().lastIncludedIndex(), 5L);
                });
                core.advance(ready);
            }
        }
        assertThat(core.log().firstIndex()).isEqualTo(1);
        assertThat(core.log().lastIndex()).isEqualTo(6);
        assertThat(core.log().commitIndex()).isEqualTo(5);
    }

    /**
     * Figure 13 step 2, "create new snapshot file if first chunk (offset is 0)": a newer snapshot's
     * first chunk replaces a partly received older one; a later chunk of the older one is then
     * unknown and answered with offset 0. The newer snapshot is installed intact (the harness's
     * disk checks that every chunk continues the file it writes into).
     */
    @Test
    void newerSnapshotAtOffsetZeroReplacesAPartialOlderTransfer() {
        TestNode node = follower(2, 1, 1, 1, 2);
        Snapshot older = Snapshot.of(GROWN, 1, 1, 2, 2, 3, 3);
        Snapshot newer = TEN;
        node.step(snapshotChunk("n1", "n2", 3, older.meta(), older.file(), 0, CHUNK));
        node.takeSent();
        node.step(snapshotChunk("n1", "n2", 3, older.meta(), older.file(), CHUNK, CHUNK));
        assertThat(onlyResponse(node).nextOffset()).isEqualTo(2 * CHUNK);
        assertThat(node.durable().receivingBytes()).isEqualTo(2 * CHUNK);
        node.takeReadies();

        node.step(newer.chunk(3, 0));
        assertThat(chunksHandedOut(node)).singleElement().satisfies(c -> {
            assertThat(c.metadata()).isEqualTo(newer.meta());
            assertThat(c.offset()).isZero();
        });
        assertThat(onlyResponse(node)).satisfies(r -> {
            assertThat(r.lastIncludedIndex()).isEqualTo(10);
            assertThat(r.nextOffset()).isEqualTo(CHUNK);
        });

        node.step(snapshotChunk("n1", "n2", 3, older.meta(), older.file(), 2 * CHUNK, CHUNK));
        assertThat(chunksHandedOut(node)).isEmpty();
        assertThat(onlyResponse(node)).satisfies(r -> {
            assertThat(r.lastIncludedIndex()).isEqualTo(6);
            assertThat(r.nextOffset()).as("unknown transfer: start over").isZero();
            assertThat(r.installed()).isFalse();
        });

        for (int offset : newer.offsets().subList(1, newer.offsets().size())) {
            node.step(newer.chunk(3, offset));
        }
        assertThat(node.installedSnapshots()).containsExactly(newer.meta());
        assertThat(node.applied()).containsExactlyElementsOf(SnapshotCodec.decode(newer.file()));
    }

    /**
     * A transfer belongs to the leader of one term. Two servers' files of the same snapshot need
     * not be byte-identical (only the state they encode is; here the padding sits elsewhere), so
     * when a new leader sends the same snapshot, its first chunk starts a new file (Figure 13
     * step 2) instead of continuing the deposed leader's partial one, which would splice two
     * files into one that encodes neither.
     */
    @Test
    void newLeaderSendingTheSameSnapshotStartsANewFile() {
        TestNode node = follower(2, 1, 1, 1, 2);
        List<LogEntry> state = SnapshotCodec.decode(TEN.file());
        Snapshot fromN1 = new Snapshot(TEN.meta(), SnapshotCodec.encodeWithPadding(state, 30, true));
        byte[] fromN3 = SnapshotCodec.encodeWithPadding(state, 30, false);
        assertThat(fromN3).hasSameSizeAs(fromN1.file()).isNotEqualTo(fromN1.file());
        node.step(fromN1.chunk(3, 0));
        node.step(fromN1.chunk(3, CHUNK));
        node.takeSent();
        node.takeReadies();

        node.step(snapshotChunk("n3", "n2", 4, TEN.meta(), fromN3, 0, CHUNK));

        assertThat(chunksHandedOut(node)).singleElement().satisfies(c -> assertThat(c.offset()).isZero());
        assertThat(onlyResponse(node)).satisfies(r -> {
            assertThat(r.to()).hasToString("n3");
            assertThat(r.nextOffset()).isEqualTo(CHUNK);
        });
        for (int offset = CHUNK; offset < fromN3.length; offset += CHUNK) {
            node.step(snapshotChunk("n3", "n2", 4, TEN.meta(), fromN3, offset, CHUNK));
        }
        assertThat(node.installedSnapshots()).containsExactly(TEN.meta());
        assertThat(node.durable().snapshotData()).isEqualTo(fromN3);
        assertThat(node.applied()).isEqualTo(state);
    }

    /** A chunk at offset > 0 of a snapshot this follower is not receiving is answered with offset 0. */
    @Test
    void chunkOfAnUnknownSnapshotAfterOffsetZeroIsAnsweredWithOffsetZero() {
        RaftCore core = bareFollower(2, 1, 1, 1, 2);

        Ready ready = stepAndTake(core, TEN.chunk(3, 2 * CHUNK));

        assertThat(ready.snapshotChunks()).isEmpty();
        assertThat(allResponses(ready)).singleElement().satisfies(r -> {
            assertThat(r.nextOffset()).isZero();
            assertThat(r.installed()).isFalse();
            assertThat(r.lastIncludedIndex()).isEqualTo(10);
            assertThat(r.term()).isEqualTo(3);
        });
        assertThat(core.leaderId()).as("it is still the leader's valid request").hasToString("n1");
    }

    /**
     * While a received snapshot waits to be installed (LESSONS: no appends during an install), the
     * follower ignores AppendEntries and the commit index of heartbeats, ignores further chunks,
     * and does not campaign even when its election timer runs out: the install must land on a log
     * whose commit index is still below the snapshot. After the install it appends again.
     */
    @Test
    void whileAnInstallIsPendingAppendsAreIgnoredAndTheFollowerDoesNotCampaign() {
        RaftCore core = bareFollower(2, 1, 1, 1, 2);
        Ready done = feedAllButInstall(core, 3, TEN);
        List<Ready> pipelined = new ArrayList<>();

        core.step(append("n1", "n2", 3, 10, 3, 11, entry(11, 3)));
        core.step(append("n1", "n2", 3, 3, 2, 3, entry(4, 3)));
        core.step(heartbeat("n1", "n2", 3, 10, 0));
        core.step(TEN.chunk(3, TEN.lastOffset()));
        core.step(TEN.chunk(3, 0));
        for (int t = 0; t < 3 * ELECTION_TICKS; t++) {
            core.tick();
        }
        while (core.hasReady()) {
            pipelined.add(core.ready());
        }

        List<RaftMessage> sent = pipelined.stream()
                .flatMap(r -> Stream.concat(r.messages().stream(), r.messagesAfterPersist().stream())).toList();
        assertThat(sent).filteredOn(AppendEntriesResponse.class::isInstance).as("appends ignored").isEmpty();
        assertThat(sent).filteredOn(InstallSnapshotResponse.class::isInstance).as("chunks ignored").isEmpty();
        assertThat(sent).filteredOn(RequestVoteRequest.class::isInstance).as("no campaign").isEmpty();
        assertThat(sent).filteredOn(HeartbeatResponse.class::isInstance).hasSize(1);
        assertThat(pipelined).flatExtracting(Ready::entriesToPersist).isEmpty();
        assertThat(pipelined).flatExtracting(Ready::snapshotChunks).isEmpty();
        assertThat(core.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(core.currentTerm()).isEqualTo(3);
        assertThat(core.log().lastIndex()).isEqualTo(3);
        assertThat(core.log().commitIndex()).isEqualTo(1);

        core.advance(done);
        for (Ready r : pipelined) {
            core.advance(r);
        }
        assertThat(core.log().firstIndex()).isEqualTo(11);
        core.step(append("n1", "n2", 3, 10, 3, 11, entry(11, 3)));
        assertThat(core.log().lastIndex()).isEqualTo(11);
        assertThat(core.log().commitIndex()).isEqualTo(11);
    }

    /**
     * Figure 13 step 1, "Reply immediately if term < currentTerm": a chunk from a deposed leader is
     * not handed out and is answered with the current term, from which that leader learns it is
     * deposed (§5.1).
     */
    @Test
    void staleTermRequestIsRejectedWithTheCurrentTerm() {
        RaftCore core = bareFollower(5, 1, 1, 1, 2);

        Ready ready = stepAndTake(core, TEN.chunk(4, 0));

        assertThat(ready.snapshotChunks()).isEmpty();
        assertThat(ready.snapshotToInstall()).isNull();
        assertThat(allResponses(ready)).singleElement().satisfies(r -> {
            assertThat(r.term()).isEqualTo(5);
            assertThat(r.installed()).isFalse();
            assertThat(r.to()).hasToString("n1");
        });
        assertThat(core.currentTerm()).isEqualTo(5);
        assertThat(core.leaderId()).isNull();
        core.advance(ready);
        assertThat(core.hasReady()).isFalse();
    }
}
