package io.raftkv.storage.snapshot;

import io.raftkv.core.SnapshotMetadata;
import io.raftkv.storage.snapshot.ChunkResult.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of one InstallSnapshot transfer (paper §7, Figure 13; thesis ch. 5): rebuilds
 * the leader's snapshot file, byte for byte, in a temporary file, and installs it only when the last
 * chunk has arrived and the whole file verifies. Created by {@link SnapshotStore#receive}; wire
 * traffic normally goes through {@link SnapshotInstaller}, which picks the receiver for each chunk.
 *
 * <p>How a chunk at {@code offset} is handled, given the next expected offset {@code e}:
 * <table>
 *   <caption>chunk handling</caption>
 *   <tr><th>chunk</th><th>action</th><th>result</th></tr>
 *   <tr><td>offset &lt; 0 or ends past the announced size</td><td>nothing written</td><td>Rejected(OUT_OF_RANGE), e</td></tr>
 *   <tr><td>done, but does not end at the announced size</td><td>nothing written</td><td>Rejected(INCOMPLETE), e</td></tr>
 *   <tr><td>offset &gt; e (a chunk was lost or overtaken)</td><td>nothing written</td><td>Gap(e)</td></tr>
 *   <tr><td>ends at or before e (a duplicate)</td><td>ignored</td><td>Duplicate(e)</td></tr>
 *   <tr><td>offset &le; e &lt; end</td><td>bytes from e appended</td><td>Appended(end)</td></tr>
 *   <tr><td>done, file complete</td><td>fsync, verify, rename, fsync dir</td><td>Installed, or Rejected(CORRUPT / METADATA_MISMATCH), 0</td></tr>
 * </table>
 * Overlapping chunks are accepted (the leader may change its chunk size when it resumes); the bytes
 * before {@code e} are assumed equal, which the final checksum confirms.
 *
 * <p>Only the final step touches the store's snapshots, so a crash anywhere before it leaves the
 * previous snapshot intact and a temporary file that the next {@link SnapshotStore#open} deletes
 * (R-SNAP-3: "a crash mid-install leaves the old state intact").
 *
 * <p>Thread-safe (one lock per transfer), though a driver normally calls it from one thread.
 */
public final class SnapshotReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);

    private enum State { RECEIVING, INSTALLED, FAILED, SUPERSEDED, ABORTED }

    private final SnapshotStore store;
    private final SnapshotDirectory directory;
    private final SnapshotTransfer transfer;
    private final Path tempPath;
    private final FileChannel channel;
    private final int bufferSizeBytes;
    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}. */
    private State state = State.RECEIVING;
    /** Guarded by {@link #lock}. Bytes [0, nextExpectedOffset) are in the temporary file. */
    private long nextExpectedOffset;
    /** Guarded by {@link #lock}. Why the transfer failed; set in FAILED. */
    private ChunkResult.Rejected failure;

    private SnapshotReceiver(SnapshotStore store, SnapshotDirectory directory, SnapshotTransfer transfer,
                             Path tempPath, FileChannel channel, int bufferSizeBytes) {
        this.store = store;
        this.directory = directory;
        this.transfer = transfer;
        this.tempPath = tempPath;
        this.channel = channel;
        this.bufferSizeBytes = bufferSizeBytes;
    }

    static SnapshotReceiver create(SnapshotStore store, SnapshotDirectory directory, SnapshotTransfer transfer,
                                   int bufferSizeBytes) throws IOException {
        Path temp = directory.createTempFile(SnapshotFormat.RECEIVER_TEMP_PREFIX + transfer.lastIncludedIndex()
                + "-" + transfer.lastIncludedTerm() + "-");
        try {
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            LOG.info("snapshot store {}: receiving {} into {}", directory.path(), transfer, temp.getFileName());
            return new SnapshotReceiver(store, directory, transfer, temp, channel, bufferSizeBytes);
        } catch (IOException | RuntimeException e) {
            directory.deleteAfterFailure(temp, e);
            throw e;
        }
    }

    /** The transfer this receiver rebuilds. */
    public SnapshotTransfer transfer() {
        return transfer;
    }

    /** Offset of the first byte still missing. */
    public long nextExpectedOffset() {
        lock.lock();
        try {
            return nextExpectedOffset;
        } finally {
            lock.unlock();
        }
    }

    /**
     * True if this transfer ended without an install (failed verification, or aborted): the leader
     * restarts it from offset 0, and {@link SnapshotInstaller} then starts a new receiver.
     */
    public boolean isRestartable() {
        lock.lock();
        try {
            return state == State.FAILED || state == State.ABORTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Handles one chunk; see the class Javadoc for each case. Never installs a partial or unverified
     * file.
     *
     * @throws IOException if writing, syncing or renaming fails; the transfer is then aborted and
     *         its temporary file deleted (a storage error is fatal for the node, R-DISK-1)
     */
    public ChunkResult accept(long offset, byte[] data, boolean done) throws IOException {
        lock.lock();
        try {
            if (state != State.RECEIVING) {
                return answerWhenFinished();
            }
            long total = transfer.totalSizeBytes();
            if (offset < 0 || offset > total - data.length) {
                return reject(Reason.OUT_OF_RANGE, "chunk at offset " + offset + " of " + data.length
                        + " bytes lies outside the announced " + total + " bytes", nextExpectedOffset);
            }
            long end = offset + data.length;
            if (done && end != total) {
                return reject(Reason.INCOMPLETE, "last chunk ends at " + end + " but the file has " + total
                        + " bytes", nextExpectedOffset);
            }
            if (offset > nextExpectedOffset) {
                LOG.debug("snapshot store {}: {} gap: chunk at {} while expecting {}", directory.path(), transfer,
                        offset, nextExpectedOffset);
                return new ChunkResult.Gap(nextExpectedOffset);
            }
            if (end > nextExpectedOffset) {
                writeFrom(data, (int) (nextExpectedOffset - offset));
                nextExpectedOffset = end;
            } else if (!done) {
                return new ChunkResult.Duplicate(nextExpectedOffset);
            }
            return done ? install() : new ChunkResult.Appended(nextExpectedOffset);
        } catch (IOException | RuntimeException e) {
            abortAfterFailure(e);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the transfer and deletes its temporary file; later chunks are rejected as ABORTED. */
    public void abort() throws IOException {
        end(State.ABORTED, "aborted");
    }

    /** Called by the store when a newer transfer replaces this one. */
    void supersede(SnapshotTransfer newer) throws IOException {
        end(State.SUPERSEDED, "superseded by " + newer);
    }

    private void end(State newState, String why) throws IOException {
        lock.lock();
        try {
            if (state != State.RECEIVING) {
                return;
            }
            state = newState;
            try {
                channel.close();
            } finally {
                directory.delete(tempPath, transfer + " " + why + " at offset " + nextExpectedOffset);
            }
        } finally {
            lock.unlock();
        }
    }

    private ChunkResult answerWhenFinished() {
        return switch (state) {
            case INSTALLED -> new ChunkResult.Duplicate(transfer.totalSizeBytes());
            case FAILED -> failure;
            case SUPERSEDED -> new ChunkResult.Rejected(Reason.SUPERSEDED,
                    transfer + " was superseded by a newer transfer", 0);
            case ABORTED -> new ChunkResult.Rejected(Reason.ABORTED, transfer + " was aborted", 0);
            case RECEIVING -> throw new IllegalStateException(transfer + " is still receiving");
        };
    }

    private ChunkResult.Rejected reject(Reason reason, String detail, long resumeAt) {
        LOG.warn("snapshot store {}: rejected a chunk of {}: {}", directory.path(), transfer, detail);
        return new ChunkResult.Rejected(reason, transfer + ": " + detail, resumeAt);
    }

    private void writeFrom(byte[] data, int from) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data, from, data.length - from);
        long position = nextExpectedOffset;
        while (buf.hasRemaining()) {
            position += channel.write(buf, position);
        }
    }

    /**
     * The last chunk is in: make the file durable, check it as the store would check any snapshot,
     * check it is the snapshot the leader announced, then publish it.
     */
    private ChunkResult install() throws IOException {
        channel.force(true);
        channel.close();
        SnapshotHeader header;
        try {
            header = SnapshotReader.verify(tempPath, bufferSizeBytes);
        } catch (SnapshotCorruptedException e) {
            return fail(Reason.CORRUPT, e.getMessage());
        }
        SnapshotMetadata metadata = header.metadata();
        if (metadata.lastIncludedIndex() != transfer.lastIncludedIndex()
                || metadata.lastIncludedTerm() != transfer.lastIncludedTerm()) {
            return fail(Reason.METADATA_MISMATCH, "the received file holds snapshot " + metadata.lastIncludedIndex()
                    + "@" + metadata.lastIncludedTerm() + " but the leader announced " + transfer.lastIncludedIndex()
                    + "@" + transfer.lastIncludedTerm());
        }
        SnapshotFile installed = store.publish(tempPath, header);
        state = State.INSTALLED;
        LOG.info("snapshot store {}: installed {} as {}", directory.path(), transfer, installed);
        return new ChunkResult.Installed(installed);
    }

    private ChunkResult.Rejected fail(Reason reason, String detail) throws IOException {
        state = State.FAILED;
        failure = new ChunkResult.Rejected(reason, transfer + ": " + detail, 0);
        directory.delete(tempPath, "failed verification");
        LOG.warn("snapshot store {}: discarded {}: {}", directory.path(), transfer, detail);
        return failure;
    }

    private void abortAfterFailure(Exception cause) {
        state = State.ABORTED;
        try {
            channel.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        directory.deleteAfterFailure(tempPath, cause);
    }
}
