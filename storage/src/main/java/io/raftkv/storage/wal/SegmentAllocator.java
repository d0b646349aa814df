package io.raftkv.storage.wal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the file of the next segment ahead of time, on its own thread, so that a roll does not
 * stall appenders (etcd's {@code filePipeline}). With preallocation the file is filled with zeros
 * to the segment size and synced: writing into blocks that already exist lets each later fsync
 * flush data only, without a journal commit for newly allocated blocks. Java has no fallocate, so
 * the zeros are written for real, once per segment, off the appenders' path.
 */
final class SegmentAllocator implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentAllocator.class);
    /** Suffix of files that are not (yet) segments; any found on open are leftovers of a crash. */
    static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;
    private final long segmentSizeBytes;
    private final boolean preallocate;
    private final ExecutorService executor;
    /** The file being prepared, or null when none is. Writer thread only. */
    private Future<Path> next;
    private long counter;

    SegmentAllocator(Path directory, long segmentSizeBytes, boolean preallocate, String threadName) {
        this.directory = directory;
        this.segmentSizeBytes = segmentSizeBytes;
        this.preallocate = preallocate;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts preparing the next file if none is being prepared. */
    void prepareAhead() {
        if (next == null) {
            long n = ++counter;
            next = executor.submit(() -> prepare(n));
        }
    }

    /** Whether a file is being prepared or ready. */
    boolean preparing() {
        return next != null;
    }

    /** The next prepared file, waiting for it if needed. */
    Path take() throws IOException {
        prepareAhead();
        Future<Path> ready = next;
        next = null;
        try {
            return ready.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while preparing a segment file");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("preparing a segment failed", e);
        }
    }

    private Path prepare(long n) throws IOException {
        Path file = directory.resolve("segment-" + n + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (preallocate) {
                zeroFill(channel, 0, segmentSizeBytes);
                channel.force(true);
            }
        }
        return file;
    }

    /** Writes zeros over {@code [from, to)} of {@code channel} (not synced). */
    static void zeroFill(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        long position = from;
        while (position < to) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - position));
            while (zeros.hasRemaining()) {
                position += channel.write(zeros, position);
            }
        }
    }

    /** Stops the thread (after the file in preparation, if any) and deletes a prepared file nobody took. */
    @Override
    public void close() throws IOException {
        executor.shutdown();
        if (next != null) {
            try {
                Files.deleteIfExists(next.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debug("segment preparation failed before close", e.getCause());
            }
            next = null;
        }
    }
}
