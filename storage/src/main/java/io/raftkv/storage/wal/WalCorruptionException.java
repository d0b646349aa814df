package io.raftkv.storage.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log on disk is damaged somewhere a crash cannot explain (R-DISK-2): the log refuses to open
 * rather than silently lose acknowledged entries. The message names the file and the byte offset.
 */
public final class WalCorruptionException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The damaged file. */
    private final transient Path file;
    /** Byte offset in {@link #file()} where the damage was found. */
    private final long offset;

    /**
     * @param file   the damaged file
     * @param offset byte offset of the damage within the file
     * @param reason what is wrong there
     */
    public WalCorruptionException(Path file, long offset, String reason) {
        super("corrupt write-ahead log: " + file + " at byte offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset of the damage within {@link #file()}. */
    public long offset() {
        return offset;
    }
}
