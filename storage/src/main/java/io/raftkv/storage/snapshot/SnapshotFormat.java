package io.raftkv.storage.snapshot;

import io.raftkv.core.ClusterConfig;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Constants of the snapshot file format and its file names. The format itself is described once,
 * in the Javadoc of {@link SnapshotStore}.
 */
final class SnapshotFormat {
    /** First four bytes of every snapshot file: ASCII "RKVS". */
    static final int MAGIC = 0x524B5653;
    /** Format version written by this code; readers reject any other value. */
    static final int VERSION = 1;
    /** Header bytes besides the encoded configuration: magic, version, index, term, config length, data length. */
    static final int FIXED_HEADER_BYTES = 4 + 4 + 8 + 8 + 4 + 8;
    /** Offset of the configuration length field, the end of the part of the header of fixed size. */
    static final int CONFIG_LENGTH_OFFSET = 4 + 4 + 8 + 8;
    /** The trailer: a CRC32C of every byte before it. */
    static final int TRAILER_BYTES = 4;
    /** The smallest possible file: a header with an empty configuration field, no data, a trailer. */
    static final long MIN_FILE_BYTES = FIXED_HEADER_BYTES + TRAILER_BYTES;
    /**
     * Largest encoded configuration a reader accepts ({@link ClusterConfig#MAX_ENCODED_BYTES}). It
     * bounds what a corrupt length field can make a reader allocate.
     */
    static final int MAX_CONFIG_BYTES = ClusterConfig.MAX_ENCODED_BYTES;
    /** Data length written at {@code begin}, replaced at commit; a file that still holds it is unfinished. */
    static final long UNFINISHED_DATA_LENGTH = -1;

    /** Every temporary file ends with this; a store deletes them all when it opens. */
    static final String TEMP_SUFFIX = ".tmp";
    /** Prefix of a temporary file written by a {@link SnapshotWriter}. */
    static final String WRITER_TEMP_PREFIX = "writing-";
    /** Prefix of a temporary file written by a {@link SnapshotReceiver}. */
    static final String RECEIVER_TEMP_PREFIX = "receiving-";

    private static final Pattern FINAL_NAME = Pattern.compile("snapshot-(\\d{1,19})-(\\d{1,19})\\.snap");

    private SnapshotFormat() {
    }

    /**
     * The final name of a snapshot: index and term zero-padded to 19 digits (the width of
     * {@code Long.MAX_VALUE}) so that a directory listing sorts in index order.
     */
    static String finalName(long lastIncludedIndex, long lastIncludedTerm) {
        return String.format("snapshot-%019d-%019d.snap", lastIncludedIndex, lastIncludedTerm);
    }

    /** Index and term encoded in a final name, or empty if {@code fileName} is not one. */
    static Optional<long[]> parseFinalName(String fileName) {
        Matcher m = FINAL_NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        } catch (NumberFormatException e) {
            return Optional.empty(); // 19 digits beyond Long.MAX_VALUE: not a name this code writes
        }
    }

    static boolean isTempName(String fileName) {
        return fileName.endsWith(TEMP_SUFFIX);
    }
}
