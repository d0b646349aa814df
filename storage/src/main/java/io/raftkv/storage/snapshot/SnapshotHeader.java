package io.raftkv.storage.snapshot;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.SnapshotMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The header of a snapshot file: what the snapshot replaces (paper §7, Figure 12: last included
 * index and term, plus the configuration at that index, thesis §5.1) and how many bytes of
 * state-machine data follow. It encodes itself and parses, with bounds on every length, a header
 * read from an untrusted file. Layout in {@link SnapshotStore}.
 */
final class SnapshotHeader {
    private final SnapshotMetadata metadata;
    private final long dataSizeBytes;
    private final byte[] encoded;

    private SnapshotHeader(SnapshotMetadata metadata, long dataSizeBytes, byte[] encoded) {
        this.metadata = metadata;
        this.dataSizeBytes = dataSizeBytes;
        this.encoded = encoded;
    }

    /**
     * A header for {@code metadata} followed by {@code dataSizeBytes} of data, or by an unknown amount
     * while a writer is still streaming ({@link SnapshotFormat#UNFINISHED_DATA_LENGTH}).
     */
    static SnapshotHeader of(SnapshotMetadata metadata, long dataSizeBytes) {
        if (dataSizeBytes < 0 && dataSizeBytes != SnapshotFormat.UNFINISHED_DATA_LENGTH) {
            throw new IllegalArgumentException("negative data size " + dataSizeBytes);
        }
        byte[] config = metadata.config().encode();
        ByteBuffer buf = ByteBuffer.allocate(SnapshotFormat.FIXED_HEADER_BYTES + config.length);
        buf.putInt(SnapshotFormat.MAGIC)
                .putInt(SnapshotFormat.VERSION)
                .putLong(metadata.lastIncludedIndex())
                .putLong(metadata.lastIncludedTerm())
                .putInt(config.length)
                .put(config)
                .putLong(dataSizeBytes);
        return new SnapshotHeader(metadata, dataSizeBytes, buf.array());
    }

    /**
     * Reads and validates a header from the start of {@code in}, a file of {@code fileSizeBytes}
     * named {@code fileName}. Checks magic, version, lengths and that the file is exactly as long as
     * the header says, so a truncated file is reported as such before any checksum is computed.
     *
     * @throws SnapshotCorruptedException naming the file, on any malformed field or size mismatch
     */
    static SnapshotHeader read(InputStream in, String fileName, long fileSizeBytes) throws IOException {
        if (fileSizeBytes < SnapshotFormat.MIN_FILE_BYTES) {
            throw SnapshotCorruptedException.malformed(fileName, "truncated: " + fileSizeBytes
                    + " bytes is shorter than the smallest snapshot (" + SnapshotFormat.MIN_FILE_BYTES + ")");
        }
        ByteBuffer fixed = ByteBuffer.wrap(readExactly(in, SnapshotFormat.CONFIG_LENGTH_OFFSET + 4, fileName));
        int magic = fixed.getInt();
        if (magic != SnapshotFormat.MAGIC) {
            throw SnapshotCorruptedException.malformed(fileName, String.format(
                    "bad magic 0x%08x (expected 0x%08x): not a snapshot file", magic, SnapshotFormat.MAGIC));
        }
        int version = fixed.getInt();
        if (version != SnapshotFormat.VERSION) {
            throw SnapshotCorruptedException.malformed(fileName, "unsupported format version " + version
                    + " (this code reads version " + SnapshotFormat.VERSION + ")");
        }
        long index = fixed.getLong();
        long term = fixed.getLong();
        int configLength = fixed.getInt();
        if (configLength < 0 || configLength > SnapshotFormat.MAX_CONFIG_BYTES) {
            throw SnapshotCorruptedException.malformed(fileName, "bad configuration length " + configLength);
        }
        ByteBuffer rest = ByteBuffer.wrap(readExactly(in, configLength + 8, fileName));
        byte[] configBytes = new byte[configLength];
        rest.get(configBytes);
        long dataSizeBytes = rest.getLong();
        SnapshotMetadata metadata = decodeMetadata(index, term, configBytes, fileName);
        checkDataSize(dataSizeBytes, SnapshotFormat.FIXED_HEADER_BYTES + configLength, fileSizeBytes, fileName);
        ByteBuffer encoded = ByteBuffer.allocate(SnapshotFormat.FIXED_HEADER_BYTES + configLength);
        encoded.put(fixed.array()).put(rest.array());
        return new SnapshotHeader(metadata, dataSizeBytes, encoded.array());
    }

    private static SnapshotMetadata decodeMetadata(long index, long term, byte[] configBytes, String fileName)
            throws SnapshotCorruptedException {
        try {
            return new SnapshotMetadata(index, term, ClusterConfig.decode(configBytes));
        } catch (IllegalArgumentException e) {
            throw SnapshotCorruptedException.malformed(fileName, "bad metadata: " + e.getMessage());
        }
    }

    private static void checkDataSize(long dataSizeBytes, long headerBytes, long fileSizeBytes, String fileName)
            throws SnapshotCorruptedException {
        if (dataSizeBytes == SnapshotFormat.UNFINISHED_DATA_LENGTH) {
            throw SnapshotCorruptedException.malformed(fileName,
                    "unfinished: the data length was never written (a writer crashed before commit)");
        }
        long maxData = fileSizeBytes - headerBytes - SnapshotFormat.TRAILER_BYTES;
        if (dataSizeBytes < 0) {
            throw SnapshotCorruptedException.malformed(fileName, "negative data length " + dataSizeBytes);
        }
        if (dataSizeBytes > maxData) {
            throw SnapshotCorruptedException.malformed(fileName, "truncated: file has " + fileSizeBytes
                    + " bytes but its header announces " + dataSizeBytes + " bytes of data, "
                    + (headerBytes + dataSizeBytes + SnapshotFormat.TRAILER_BYTES) + " in all");
        }
        if (dataSizeBytes < maxData) {
            throw SnapshotCorruptedException.malformed(fileName, (maxData - dataSizeBytes)
                    + " unexpected bytes after the trailer");
        }
    }

    private static byte[] readExactly(InputStream in, int length, String fileName) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw SnapshotCorruptedException.malformed(fileName, "truncated header");
        }
        return bytes;
    }

    SnapshotMetadata metadata() {
        return metadata;
    }

    /** Bytes of state-machine data after the header, or {@link SnapshotFormat#UNFINISHED_DATA_LENGTH}. */
    long dataSizeBytes() {
        return dataSizeBytes;
    }

    /** Length of the header, which is also the offset of the first data byte. */
    int sizeBytes() {
        return encoded.length;
    }

    /** Total length of a file with this header: header, data and trailer. */
    long fileSizeBytes() {
        return encoded.length + dataSizeBytes + SnapshotFormat.TRAILER_BYTES;
    }

    /** The encoded header; a fresh copy, since callers feed it to checksums and channels. */
    byte[] encode() {
        return encoded.clone();
    }
}
