package io.raftkv.storage.snapshot;

import io.raftkv.core.SnapshotMetadata;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An open snapshot file: its metadata and a stream of the state machine's data, which a server
 * restores on restart or after an InstallSnapshot (paper §7; R-DISK-4). The header is validated on
 * open; the checksum is verified while the data streams (see {@link #data()}), so a snapshot is
 * never read into memory as a whole.
 *
 * <p>Not thread-safe: one reader belongs to one restoring thread. Close it (try-with-resources).
 */
public final class SnapshotReader implements AutoCloseable {
    private final Path path;
    private final SnapshotHeader header;
    private final VerifyingDataStream data;

    private SnapshotReader(Path path, SnapshotHeader header, VerifyingDataStream data) {
        this.path = path;
        this.header = header;
        this.data = data;
    }

    /**
     * Opens {@code path} and validates its header and size.
     *
     * @param bufferSizeBytes read buffer; large buffers make few, sequential reads
     * @throws SnapshotCorruptedException naming the file, if the header or size is wrong
     */
    static SnapshotReader open(Path path, int bufferSizeBytes) throws IOException {
        String fileName = path.getFileName().toString();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long sizeBytes = channel.size();
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), bufferSizeBytes);
            SnapshotHeader header = SnapshotHeader.read(in, fileName, sizeBytes);
            VerifyingDataStream data = new VerifyingDataStream(in, header.encode(), header.dataSizeBytes(), fileName);
            return new SnapshotReader(path, header, data);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    /**
     * Reads the whole file once to check its checksum, discarding the data.
     *
     * @return the validated header
     * @throws SnapshotCorruptedException naming the file, on any mismatch
     */
    static SnapshotHeader verify(Path path, int bufferSizeBytes) throws IOException {
        try (SnapshotReader reader = open(path, bufferSizeBytes)) {
            byte[] sink = new byte[bufferSizeBytes];
            InputStream in = reader.data();
            while (in.read(sink) >= 0) {
                // draining is the point: the stream checks the CRC32C when the last byte goes by
            }
            return reader.header;
        }
    }

    private static void closeAfterFailure(AutoCloseable resource, Exception failure) {
        try {
            resource.close();
        } catch (Exception closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    /** What the snapshot replaces: last included index and term, and the configuration then. */
    public SnapshotMetadata metadata() {
        return header.metadata();
    }

    /** Length of the state machine's data, the number of bytes {@link #data()} yields. */
    public long dataSizeBytes() {
        return header.dataSizeBytes();
    }

    /** The file being read. */
    public Path path() {
        return path;
    }

    /**
     * The state machine's data: exactly {@link #dataSizeBytes()} bytes, then end of stream. The read
     * that delivers the last byte first checks the CRC32C and throws
     * {@link SnapshotCorruptedException} on a mismatch ("bad checksum in snapshot-...: expected X
     * got Y"), as does a read that finds the file shorter than its header says. A state machine must
     * therefore treat an exception from any read as a failed restore and discard what it rebuilt.
     * Closing this stream closes the reader.
     */
    public InputStream data() {
        return data;
    }

    @Override
    public void close() throws IOException {
        data.close();
    }
}
