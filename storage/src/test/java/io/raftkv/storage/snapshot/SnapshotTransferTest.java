package io.raftkv.storage.snapshot;

import static io.raftkv.storage.snapshot.Snapshots.assertContent;
import static io.raftkv.storage.snapshot.Snapshots.commit;
import static io.raftkv.storage.snapshot.Snapshots.metadata;
import static io.raftkv.storage.snapshot.Snapshots.snapshotNames;
import static io.raftkv.storage.snapshot.Snapshots.tempNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.storage.snapshot.ChunkResult.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * InstallSnapshot transfers (paper §7, Figure 13; R-SNAP-3): the leader sends its file's bytes in
 * chunks, the follower rebuilds the identical file, resuming after lost chunks, ignoring duplicates,
 * refusing what does not belong, and installing only a whole, verified file.
 */
class SnapshotTransferTest {
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long LEADER_TERM = 5;

    @TempDir
    Path dir;
    private SnapshotStore leader;
    private SnapshotStore follower;
    private SnapshotInstaller installer;
    private SnapshotFile sent;
    private SnapshotTransfer transfer;

    @BeforeEach
    void setUp() throws IOException {
        leader = SnapshotStore.open(dir.resolve("leader"));
        follower = SnapshotStore.open(dir.resolve("follower"),
                SnapshotStoreConfig.builder().maxReceiveSizeBytes(64L * 1024 * 1024).build());
        installer = new SnapshotInstaller(follower);
        commit(follower, 10, 2, 300); // the follower's old snapshot, which must survive every failure
        sent = commit(leader, 1_000, 4, 3 * 1024 * 1024 + 123);
        transfer = SnapshotTransfer.of(LEADER_TERM, sent);
    }

    @AfterEach
    void tearDown() throws IOException {
        leader.close();
        follower.close();
    }

    private SnapshotChunk chunk(long offset) throws IOException {
        byte[] data = sent.readChunk(offset, CHUNK_BYTES);
        return new SnapshotChunk(transfer, offset, data, offset + data.length == sent.sizeBytes());
    }

    private ChunkResult send(long offset) throws IOException {
        return installer.accept(chunk(offset));
    }

    private void assertFollowerStillHasItsOldSnapshotOnly() {
        assertThat(follower.latest().orElseThrow().metadata()).isEqualTo(metadata(10, 2));
        assertThat(snapshotNames(follower.directory())).containsExactly(Snapshots.name(10, 2));
    }

    private void assertInstalledIdenticalFile(ChunkResult result) throws IOException {
        assertThat(result).isInstanceOf(ChunkResult.Installed.class);
        SnapshotFile installed = ((ChunkResult.Installed) result).snapshot();
        assertThat(installed.metadata()).isEqualTo(sent.metadata());
        assertThat(Files.mismatch(installed.path(), sent.path())).isEqualTo(-1L);
        assertThat(installed.path().getFileName()).isEqualTo(sent.path().getFileName());
        assertThat(follower.latest()).contains(installed);
        assertThat(tempNames(follower.directory())).isEmpty();
        assertContent(installed, 1_000, 3 * 1024 * 1024 + 123);
    }

    @Test
    void inOrderChunksRebuildTheIdenticalFile() throws IOException {
        ChunkResult result = null;
        for (long offset = 0; offset < sent.sizeBytes(); offset += CHUNK_BYTES) {
            result = send(offset);
            if (offset + CHUNK_BYTES < sent.sizeBytes()) {
                assertThat(result).isEqualTo(new ChunkResult.Appended(offset + CHUNK_BYTES));
            }
        }
        assertInstalledIdenticalFile(result);
    }

    /**
     * A leader with a window of chunks in flight over a network that drops, duplicates and reorders
     * chunks and drops answers; it always resumes from the latest nextExpectedOffset it heard.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void lostDuplicatedAndReorderedChunksStillRebuildTheIdenticalFile(long seed) throws IOException {
        Random random = new Random(seed);
        long next = 0;
        int gaps = 0;
        int duplicates = 0;
        ChunkResult installed = null;
        for (int round = 0; installed == null; round++) {
            assertThat(round).as("rounds (seed %d)", seed).isLessThan(5_000);
            List<SnapshotChunk> network = new ArrayList<>();
            for (long offset = next; offset < sent.sizeBytes() && network.size() < 8; offset += CHUNK_BYTES) {
                SnapshotChunk c = chunk(offset);
                if (random.nextInt(100) >= 20) { // 20% lost
                    network.add(c);
                }
                if (random.nextInt(100) < 15) { // 15% duplicated
                    network.add(c);
                }
            }
            Collections.shuffle(network, random);
            for (SnapshotChunk c : network) {
                ChunkResult result = installer.accept(c);
                if (result instanceof ChunkResult.Rejected rejected) {
                    // only possible before chunk 0 arrives: the follower does not know the transfer yet
                    assertThat(rejected.reason()).isEqualTo(Reason.UNKNOWN_TRANSFER);
                    assertThat(follower.activeReceiver()).isEmpty();
                }
                gaps += result instanceof ChunkResult.Gap ? 1 : 0;
                duplicates += result instanceof ChunkResult.Duplicate ? 1 : 0;
                if (result instanceof ChunkResult.Installed) {
                    installed = result;
                }
                if (random.nextInt(100) >= 20) { // 20% of answers lost; otherwise the leader resumes there
                    next = Math.max(next, result.nextExpectedOffset());
                }
            }
        }
        assertThat(gaps).isPositive();
        assertThat(duplicates).isPositive();
        assertInstalledIdenticalFile(installed);
    }

    @Test
    void aChunkBeyondTheExpectedOffsetIsRejectedWithoutWriting() throws IOException {
        send(0);
        ChunkResult result = send(2L * CHUNK_BYTES); // chunk 1 was lost
        assertThat(result).isEqualTo(new ChunkResult.Gap(CHUNK_BYTES));
        assertThat(tempNames(follower.directory())).singleElement()
                .satisfies(t -> assertThat(Files.size(follower.directory().resolve(t))).isEqualTo(CHUNK_BYTES));
        assertThat(send(CHUNK_BYTES)).isEqualTo(new ChunkResult.Appended(2L * CHUNK_BYTES)); // resumed
    }

    @Test
    void duplicateChunksAreIgnored() throws IOException {
        send(0);
        send(CHUNK_BYTES);
        assertThat(send(0)).isEqualTo(new ChunkResult.Duplicate(2L * CHUNK_BYTES));
        assertThat(send(CHUNK_BYTES)).isEqualTo(new ChunkResult.Duplicate(2L * CHUNK_BYTES));
        assertThat(installer.accept(new SnapshotChunk(transfer, 2L * CHUNK_BYTES, new byte[0], false)))
                .isEqualTo(new ChunkResult.Duplicate(2L * CHUNK_BYTES));
    }

    /** A leader may resume with another chunk size; the new part of an overlapping chunk is kept. */
    @Test
    void anOverlappingChunkAppendsOnlyItsNewBytes() throws IOException {
        send(0);
        long offset = CHUNK_BYTES / 2;
        ChunkResult result = null;
        while (offset < sent.sizeBytes()) {
            byte[] data = sent.readChunk(offset, 100_000);
            result = installer.accept(new SnapshotChunk(transfer, offset, data, offset + data.length == sent.sizeBytes()));
            offset += data.length;
        }
        assertInstalledIdenticalFile(result);
    }

    @Test
    void aChunkOfATransferNeverStartedIsUnknown() throws IOException {
        ChunkResult result = send(CHUNK_BYTES);
        assertThat(result).isInstanceOf(ChunkResult.Rejected.class);
        assertThat(((ChunkResult.Rejected) result).reason()).isEqualTo(Reason.UNKNOWN_TRANSFER);
        assertThat(result.nextExpectedOffset()).isZero();
        assertThat(tempNames(follower.directory())).isEmpty();
    }

    @Test
    void aChunkOfAnOlderTransferIsSuperseded() throws IOException {
        send(0);
        SnapshotTransfer older = new SnapshotTransfer(LEADER_TERM - 1, transfer.lastIncludedIndex(),
                transfer.lastIncludedTerm(), transfer.totalSizeBytes());
        ChunkResult result = installer.accept(new SnapshotChunk(older, 0, sent.readChunk(0, CHUNK_BYTES), false));
        assertThat(((ChunkResult.Rejected) result).reason()).isEqualTo(Reason.SUPERSEDED);
        assertThat(send(CHUNK_BYTES)).isEqualTo(new ChunkResult.Appended(2L * CHUNK_BYTES)); // undisturbed
    }

    @Test
    void aNewerTransferReplacesTheOlderOneAndDeletesItsTemporaryFile() throws IOException {
        send(0);
        send(CHUNK_BYTES);
        SnapshotReceiver first = follower.activeReceiver().orElseThrow();
        String firstTemp = tempNames(follower.directory()).get(0);

        SnapshotFile newer = commit(leader, 2_000, 5, 500_000);
        SnapshotTransfer newerTransfer = SnapshotTransfer.of(LEADER_TERM, newer);
        ChunkResult result = null;
        for (long offset = 0; offset < newer.sizeBytes(); offset += CHUNK_BYTES) {
            byte[] data = newer.readChunk(offset, CHUNK_BYTES);
            result = installer.accept(new SnapshotChunk(newerTransfer, offset, data,
                    offset + data.length == newer.sizeBytes()));
            if (offset == 0) {
                assertThat(tempNames(follower.directory())).doesNotContain(firstTemp).hasSize(1);
            }
        }
        assertThat(result).isInstanceOf(ChunkResult.Installed.class);
        assertThat(((ChunkResult.Rejected) send(2L * CHUNK_BYTES)).reason()).isEqualTo(Reason.SUPERSEDED);
        assertThat(((ChunkResult.Rejected) first.accept(2L * CHUNK_BYTES, new byte[1], false)).reason())
                .isEqualTo(Reason.SUPERSEDED);
        assertThat(follower.latest().orElseThrow().metadata().lastIncludedIndex()).isEqualTo(2_000);
    }

    @Test
    void chunksOutsideTheAnnouncedSizeAreRejected() throws IOException {
        send(0);
        ChunkResult past = installer.accept(new SnapshotChunk(transfer, sent.sizeBytes() + 1, new byte[1], false));
        assertThat(((ChunkResult.Rejected) past).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(past.nextExpectedOffset()).isEqualTo(CHUNK_BYTES);
        ChunkResult overlong = installer.accept(new SnapshotChunk(transfer, sent.sizeBytes() - 10, new byte[11], true));
        assertThat(((ChunkResult.Rejected) overlong).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        ChunkResult negative = installer.accept(new SnapshotChunk(transfer, -1, new byte[1], false));
        assertThat(((ChunkResult.Rejected) negative).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(send(CHUNK_BYTES)).isEqualTo(new ChunkResult.Appended(2L * CHUNK_BYTES));
    }

    @Test
    void aTransferAboveTheConfiguredMaximumIsRefusedBeforeAnyWrite() throws IOException {
        SnapshotTransfer huge = new SnapshotTransfer(LEADER_TERM, 5_000, 5, 64L * 1024 * 1024 + 1);
        ChunkResult result = installer.accept(new SnapshotChunk(huge, 0, new byte[10], false));
        assertThat(((ChunkResult.Rejected) result).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(tempNames(follower.directory())).isEmpty();
        assertThatThrownBy(() -> follower.receive(huge)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTransferSmallerThanAnySnapshotIsMalformed() throws IOException {
        SnapshotTransfer tiny = new SnapshotTransfer(LEADER_TERM, 5_000, 5, 3);
        ChunkResult result = installer.accept(new SnapshotChunk(tiny, 0, new byte[3], true));
        assertThat(((ChunkResult.Rejected) result).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(tempNames(follower.directory())).isEmpty();
    }

    @Test
    void doneOnAChunkThatDoesNotEndTheFileIsRefused() throws IOException {
        ChunkResult result = installer.accept(new SnapshotChunk(transfer, 0, sent.readChunk(0, CHUNK_BYTES), true));
        assertThat(((ChunkResult.Rejected) result).reason()).isEqualTo(Reason.INCOMPLETE);
        assertThat(result.nextExpectedOffset()).isZero();
        assertFollowerStillHasItsOldSnapshotOnly();
    }

    /** The leader announced one snapshot but sent the bytes of another: nothing is installed. */
    @Test
    void metadataThatDisagreesWithTheFileIsCaughtAtDone() throws IOException {
        SnapshotTransfer lying = new SnapshotTransfer(LEADER_TERM, 1_001, 4, sent.sizeBytes());
        ChunkResult result = null;
        for (long offset = 0; offset < sent.sizeBytes(); offset += CHUNK_BYTES) {
            byte[] data = sent.readChunk(offset, CHUNK_BYTES);
            result = installer.accept(new SnapshotChunk(lying, offset, data, offset + data.length == sent.sizeBytes()));
        }
        assertThat(result).isInstanceOf(ChunkResult.Rejected.class);
        assertThat(((ChunkResult.Rejected) result).reason()).isEqualTo(Reason.METADATA_MISMATCH);
        assertThat(((ChunkResult.Rejected) result).detail()).contains("1000@4").contains("1001@4");
        assertThat(result.nextExpectedOffset()).isZero();
        assertFollowerStillHasItsOldSnapshotOnly();
        assertThat(tempNames(follower.directory())).isEmpty();
    }

    /** A byte damaged in flight fails the checksum at done; the leader restarts and succeeds. */
    @Test
    void aCorruptedChunkIsCaughtAtDoneAndTheTransferCanRestart() throws IOException {
        ChunkResult result = null;
        for (long offset = 0; offset < sent.sizeBytes(); offset += CHUNK_BYTES) {
            SnapshotChunk c = chunk(offset);
            if (offset == 5L * CHUNK_BYTES) {
                c.data()[77] ^= 0x10;
            }
            result = installer.accept(c);
        }
        assertThat(((ChunkResult.Rejected) result).reason()).isEqualTo(Reason.CORRUPT);
        assertThat(((ChunkResult.Rejected) result).detail()).contains("bad checksum");
        assertThat(result.nextExpectedOffset()).isZero();
        assertFollowerStillHasItsOldSnapshotOnly();
        assertThat(tempNames(follower.directory())).isEmpty();
        assertThat(((ChunkResult.Rejected) send(CHUNK_BYTES)).reason()).isEqualTo(Reason.CORRUPT); // restart at 0

        for (long offset = 0; offset < sent.sizeBytes(); offset += CHUNK_BYTES) {
            result = send(offset);
        }
        assertInstalledIdenticalFile(result);
    }

    /** The leader may resend the last chunk when the answer is lost; it must not install twice. */
    @Test
    void chunksAfterTheInstallAreDuplicates() throws IOException {
        for (long offset = 0; offset < sent.sizeBytes(); offset += CHUNK_BYTES) {
            send(offset);
        }
        long last = (sent.sizeBytes() - 1) / CHUNK_BYTES * CHUNK_BYTES;
        assertThat(send(last)).isEqualTo(new ChunkResult.Duplicate(sent.sizeBytes()));
        assertThat(send(0)).isEqualTo(new ChunkResult.Duplicate(sent.sizeBytes()));
    }

    /** What a crash in the middle of a transfer leaves on disk: the old snapshot and a temporary file. */
    @Test
    void aCrashMidTransferLeavesTheOldSnapshotAndOnlyATempFileTheNextOpenDeletes() throws IOException {
        Path followerDir = follower.directory();
        follower.close();
        byte[] firstHalf = sent.readChunk(0, (int) (sent.sizeBytes() / 2));
        Files.write(followerDir.resolve("receiving-1000-4-8312.tmp"), firstHalf);

        follower = SnapshotStore.open(followerDir);
        assertThat(tempNames(followerDir)).isEmpty();
        assertFollowerStillHasItsOldSnapshotOnly();
        assertContent(follower.latest().orElseThrow(), 10, 300);
    }

    @Test
    void anAbortedTransferRestartsFromOffsetZero() throws IOException {
        send(0);
        follower.activeReceiver().orElseThrow().abort();
        assertThat(tempNames(follower.directory())).isEmpty();
        assertThat(((ChunkResult.Rejected) send(CHUNK_BYTES)).reason()).isEqualTo(Reason.ABORTED);
        ChunkResult result = null;
        for (long offset = 0; offset < sent.sizeBytes(); offset += CHUNK_BYTES) {
            result = send(offset);
        }
        assertInstalledIdenticalFile(result);
    }

    @Test
    void closingTheStoreAbortsTheTransferInProgress() throws IOException {
        send(0);
        SnapshotReceiver receiver = follower.activeReceiver().orElseThrow();
        follower.close();
        assertThat(tempNames(follower.directory())).isEmpty();
        ChunkResult result = receiver.accept(CHUNK_BYTES, sent.readChunk(CHUNK_BYTES, CHUNK_BYTES), false);
        assertThat(((ChunkResult.Rejected) result).reason()).isEqualTo(Reason.ABORTED);
    }

    @Test
    void readChunkReturnsTheFileBytesPositionallyAndChecksItsArguments() throws IOException {
        byte[] whole = Files.readAllBytes(sent.path()); // 3 MiB: fine for a test's reference copy
        assertThat(sent.readChunk(12_345, 1000)).isEqualTo(Arrays.copyOfRange(whole, 12_345, 13_345));
        assertThat(sent.readChunk(sent.sizeBytes() - 5, 1000)).hasSize(5);
        assertThat(sent.readChunk(sent.sizeBytes(), 1000)).isEmpty();
        assertThatThrownBy(() -> sent.readChunk(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sent.readChunk(sent.sizeBytes() + 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sent.readChunk(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sent.readChunk(0, SnapshotFile.MAX_CHUNK_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Retention may delete a snapshot a leader is still sending; the leader learns and starts over. */
    @Test
    void readChunkOfASnapshotRemovedByRetentionFailsClearly() throws IOException {
        commit(leader, 1_100, 4, 10);
        commit(leader, 1_200, 4, 10);
        assertThatThrownBy(() -> sent.readChunk(0, 10)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void transferAnnouncementsAreValidated() {
        assertThatThrownBy(() -> new SnapshotTransfer(3, 10, 4, 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("older");
        assertThatThrownBy(() -> new SnapshotTransfer(3, 0, 0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SnapshotTransfer(3, 1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
