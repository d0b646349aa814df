package io.raftkv.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes writes durable. Every fsync of the log goes through one of these so that tests can count
 * them and inject failures (a package-private seam, not a user option).
 */
interface Syncer {
    /**
     * Forces a file's data to stable storage. {@code force(false)} (fdatasync) is enough: it also
     * writes the file size when that changed, which is all the metadata reading the data back needs.
     */
    void syncFile(FileChannel channel) throws IOException;

    /** Makes the creation, renaming or deletion of files in {@code directory} durable. */
    void syncDirectory(Path directory) throws IOException;

    /** The real thing. */
    Syncer DEFAULT = new Syncer() {
        @Override
        public void syncFile(FileChannel channel) throws IOException {
            channel.force(false);
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    };
}
