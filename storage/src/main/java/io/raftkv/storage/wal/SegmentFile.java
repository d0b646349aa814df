package io.raftkv.storage.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One open segment file: its channels, its name and where its data ends. Writes, truncation and
 * renaming come from one thread at a time (recovery, then the writer thread) through the write
 * channel. Reads may come from any thread, through a separate read channel: Java closes a channel
 * when a thread using it is interrupted, and an interrupted reader must not close the writer's
 * channel (which would fail-stop the log). A read channel closed that way is reopened by the next
 * read.
 */
final class SegmentFile implements Closeable {
    /** The segment's identity. */
    private final SegmentName name;
    /** Open for reading and writing for the life of the segment; used by the owning thread only. */
    private final FileChannel channel;
    /** For reads from any thread; replaced if an interrupted reader closed it. */
    private volatile FileChannel readChannel;
    /** Set once by {@link #close}; a closed segment's read channel is never reopened. */
    private boolean closed;
    /** Where the file is now; changes once, when a prepared file gets its segment name. */
    private volatile Path path;
    /**
     * End of the data written so far; the file may be longer (zeros of preallocation). Touched only
     * by the thread that owns writing.
     */
    private long writePosition;

    SegmentFile(Path path, SegmentName name, FileChannel channel, long writePosition) {
        this.path = path;
        this.name = name;
        this.channel = channel;
        this.writePosition = writePosition;
    }

    /** Opens an existing segment for recovery; its data end is found by scanning. */
    static SegmentFile open(Path path, SegmentName name) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new SegmentFile(path, name, channel, 0);
    }

    SegmentName name() {
        return name;
    }

    Path path() {
        return path;
    }

    FileChannel channel() {
        return channel;
    }

    long writePosition() {
        return writePosition;
    }

    void setWritePosition(long position) {
        writePosition = position;
    }

    /** Writes all of {@code buffer} at the data end and moves the end past it. */
    void append(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            writePosition += channel.write(buffer, writePosition);
        }
    }

    /**
     * Reads from {@code position} until {@code dst} is full or the file ends; returns the bytes read.
     *
     * @throws java.nio.channels.ClosedChannelException if the segment was closed (deleted by compaction)
     * @throws java.nio.channels.ClosedByInterruptException if the calling thread was interrupted
     */
    int read(ByteBuffer dst, long position) throws IOException {
        FileChannel reader = readChannel();
        int total = 0;
        while (dst.hasRemaining()) {
            int n = reader.read(dst, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Current length of the file, including any preallocated space (through the read channel: any thread). */
    long size() throws IOException {
        return readChannel().size();
    }

    /** Cuts the file at {@code size} (not yet durable: sync it). */
    void truncate(long size) throws IOException {
        channel.truncate(size);
        writePosition = Math.min(writePosition, size);
    }

    /** Renames the file atomically (not yet durable: sync the directory). */
    void moveTo(Path target) throws IOException {
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        path = target;
    }

    private FileChannel readChannel() throws IOException {
        FileChannel current = readChannel;
        if (current != null && current.isOpen()) {
            return current;
        }
        synchronized (this) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (readChannel == null || !readChannel.isOpen()) {
                readChannel = FileChannel.open(path, StandardOpenOption.READ);
            }
            return readChannel;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
        }
        try {
            channel.close();
        } finally {
            FileChannel reader = readChannel;
            if (reader != null) {
                reader.close();
            }
        }
    }

    /** Closes and removes the file (not yet durable: sync the directory). */
    void closeAndDelete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
