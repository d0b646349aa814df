package io.raftkv.storage.snapshot;

import io.raftkv.core.SnapshotMetadata;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one snapshot: the state machine streams its data into {@link #output()} from its own
 * thread (R-SNAP-2: the node keeps replicating and applying meanwhile), then someone calls
 * {@link #commit()} or {@link #abort()}. Data goes to a temporary file and becomes the store's
 * snapshot only at commit, by an atomic rename after an fsync (LESSONS.md: partially written
 * snapshots must never be taken for complete ones). Created by {@link SnapshotStore#begin}.
 *
 * <p>Crash behaviour, step by step, is in the Javadoc of {@link SnapshotStore}.
 *
 * <p>Threads: {@link #output()} and {@link #commit()} are used by one thread at a time, handed over
 * with a happens-before edge (a future, a queue). {@link #abort()} may come from any thread, for
 * instance at shutdown: a concurrent write then fails with an {@link IOException}. Closing an
 * uncommitted writer aborts it, so try-with-resources never leaks a temporary file.
 */
public final class SnapshotWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    private enum State { OPEN, COMMITTING, COMMITTED, ABORTED }

    private final SnapshotStore store;
    private final SnapshotDirectory directory;
    private final SnapshotMetadata metadata;
    private final Path tempPath;
    private final FileChannel channel;
    private final ChecksummingOutputStream checksummed;
    private final BufferedOutputStream buffered;
    private final DataStream output;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);

    private SnapshotWriter(SnapshotStore store, SnapshotDirectory directory, SnapshotMetadata metadata,
                           Path tempPath, FileChannel channel, int bufferSizeBytes) {
        this.store = store;
        this.directory = directory;
        this.metadata = metadata;
        this.tempPath = tempPath;
        this.channel = channel;
        this.checksummed = new ChecksummingOutputStream(Channels.newOutputStream(channel));
        this.buffered = new BufferedOutputStream(checksummed, bufferSizeBytes);
        this.output = new DataStream();
    }

    /**
     * Creates the temporary file and writes a header whose data length says "unfinished", so that a
     * file that somehow got its final name without a commit still fails validation.
     */
    static SnapshotWriter create(SnapshotStore store, SnapshotDirectory directory, SnapshotMetadata metadata,
                                 int bufferSizeBytes) throws IOException {
        Path temp = directory.createTempFile(SnapshotFormat.WRITER_TEMP_PREFIX + metadata.lastIncludedIndex()
                + "-" + metadata.lastIncludedTerm() + "-");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            append(channel, SnapshotHeader.of(metadata, SnapshotFormat.UNFINISHED_DATA_LENGTH).encode());
            return new SnapshotWriter(store, directory, metadata, temp, channel, bufferSizeBytes);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                closeAfterFailure(channel, e);
            }
            directory.deleteAfterFailure(temp, e);
            throw e;
        }
    }

    /** The metadata this snapshot is written for. */
    public SnapshotMetadata metadata() {
        return metadata;
    }

    /**
     * Where the state machine writes its data, in any number of writes of any size. Buffered: the
     * state machine need not buffer. Closing it only flushes; it does not commit.
     */
    public OutputStream output() {
        return output;
    }

    /** Bytes of data the state machine has written so far; read it from the writing thread. */
    public long dataBytesWritten() {
        return output.writtenBytes;
    }

    /**
     * Makes the snapshot durable and visible: writes the trailer, fills in the data length, fsyncs the
     * file, renames it to {@code snapshot-<index>-<term>.snap} atomically, fsyncs the directory, then
     * applies retention. Only after this returns may the caller discard the log prefix the snapshot
     * covers (paper §7). If a valid snapshot with the same name exists, it is kept and this one is
     * dropped: final files never change.
     *
     * @return the committed snapshot
     * @throws IllegalStateException if already committed or aborted
     * @throws IOException if any step fails; the temporary file is then deleted and the previous
     *         snapshots are untouched
     */
    public SnapshotFile commit() throws IOException {
        if (!state.compareAndSet(State.OPEN, State.COMMITTING)) {
            throw new IllegalStateException("snapshot " + describe() + " is " + state.get() + ", cannot commit");
        }
        try {
            buffered.flush();
            SnapshotHeader header = SnapshotHeader.of(metadata, checksummed.countBytes());
            byte[] headerBytes = header.encode();
            checksummed.updateChecksum(headerBytes);
            ByteBuffer trailer = ByteBuffer.allocate(SnapshotFormat.TRAILER_BYTES).putInt((int) checksummed.checksum());
            append(channel, trailer.array());
            writeAt(channel, headerBytes, 0); // now with the real data length
            channel.force(true);
            channel.close();
            SnapshotFile file = store.publish(tempPath, header);
            state.set(State.COMMITTED);
            return file;
        } catch (IOException | RuntimeException e) {
            state.set(State.ABORTED);
            closeAfterFailure(channel, e);
            directory.deleteAfterFailure(tempPath, e);
            LOG.warn("snapshot store {}: commit of snapshot {} failed; previous snapshots are untouched",
                    directory.path(), describe(), e);
            throw e;
        }
    }

    /**
     * Drops the snapshot and deletes its temporary file. Does nothing after commit or a previous abort.
     */
    public void abort() throws IOException {
        if (!state.compareAndSet(State.OPEN, State.ABORTED)) {
            return;
        }
        try {
            channel.close();
        } finally {
            directory.delete(tempPath, "snapshot " + describe() + " aborted");
        }
    }

    /** Aborts unless committed. */
    @Override
    public void close() throws IOException {
        abort();
    }

    private String describe() {
        return metadata.lastIncludedIndex() + "@" + metadata.lastIncludedTerm();
    }

    /** Writes all of {@code bytes} at the channel's position, advancing it. */
    private static void append(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** Writes all of {@code bytes} at {@code position}, leaving the channel's position alone. */
    private static void writeAt(FileChannel channel, byte[] bytes, long position) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf, position + buf.position());
        }
    }

    private static void closeAfterFailure(AutoCloseable resource, Exception failure) {
        try {
            resource.close();
        } catch (Exception closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    /**
     * The stream handed to the state machine: refuses writes once the writer is no longer open, and
     * turns close() into flush() so a state machine's try-with-resources cannot close the file.
     */
    private final class DataStream extends OutputStream {
        /** Bytes accepted so far; written and read by the thread that owns the writer. */
        private long writtenBytes;

        @Override
        public void write(int b) throws IOException {
            checkOpen();
            buffered.write(b);
            writtenBytes++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            checkOpen();
            buffered.write(bytes, offset, length);
            writtenBytes += length;
        }

        @Override
        public void flush() throws IOException {
            checkOpen();
            buffered.flush();
        }

        @Override
        public void close() throws IOException {
            if (state.get() == State.OPEN) {
                buffered.flush();
            }
        }

        private void checkOpen() throws IOException {
            State current = state.get();
            if (current != State.OPEN) {
                throw new IOException("snapshot " + describe() + " is " + current + "; no more data accepted");
            }
        }
    }
}
