package io.raftkv.storage.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-system side of a snapshot store: an exclusive lock on the directory, names, atomic
 * publication and directory fsyncs. It knows nothing about what is inside the files.
 *
 * <p>The lock (a {@link FileLock} on {@value #LOCK_FILE}) exists because opening a store deletes
 * every temporary file: a second store on the same directory, in this process or another, would
 * delete the files a live writer or transfer is still writing. The operating system releases the
 * lock when the process dies, so a crash never leaves the directory locked.
 */
final class SnapshotDirectory implements AutoCloseable {
    static final String LOCK_FILE = "snapshots.lock";
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotDirectory.class);

    /** A final-named file in the directory, ordered newest first by (index, term). */
    record Entry(Path path, long lastIncludedIndex, long lastIncludedTerm) {
        static final Comparator<Entry> NEWEST_FIRST = Comparator.comparingLong(Entry::lastIncludedIndex)
                .thenComparingLong(Entry::lastIncludedTerm).reversed();
    }

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private SnapshotDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates {@code path} if needed and locks it for this store.
     *
     * @throws IOException if another store, in this or another process, has it open
     */
    static SnapshotDirectory openLocked(Path path) throws IOException {
        Files.createDirectories(path);
        FileChannel channel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("snapshot directory " + path + " is in use by another process");
            }
            return new SnapshotDirectory(path, channel, lock);
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("snapshot directory " + path + " is already open in this process", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /**
     * Deletes every temporary file: each is a snapshot whose writer or transfer did not finish
     * before a crash or shutdown, and none was ever reported committed.
     *
     * @return how many were deleted
     */
    int deleteTempFiles() throws IOException {
        int deleted = 0;
        for (Path file : list()) {
            if (SnapshotFormat.isTempName(file.getFileName().toString())) {
                long size = Files.size(file);
                Files.delete(file);
                LOG.info("snapshot store {}: deleted unfinished temporary file {} ({} bytes), left by a crash"
                        + " or an aborted snapshot", path, file.getFileName(), size);
                deleted++;
            }
        }
        return deleted;
    }

    /** Final-named files, newest first; other files (lock, temporaries, strangers) are not listed. */
    List<Entry> listSnapshots() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path file : list()) {
            Optional<long[]> parsed = SnapshotFormat.parseFinalName(file.getFileName().toString());
            parsed.ifPresent(it -> entries.add(new Entry(file, it[0], it[1])));
        }
        entries.sort(Entry.NEWEST_FIRST);
        return entries;
    }

    Path createTempFile(String prefix) throws IOException {
        return Files.createTempFile(path, prefix, SnapshotFormat.TEMP_SUFFIX);
    }

    Path finalPath(long lastIncludedIndex, long lastIncludedTerm) {
        return path.resolve(SnapshotFormat.finalName(lastIncludedIndex, lastIncludedTerm));
    }

    /**
     * Gives a complete, fsynced temporary file its final name: an atomic rename, so a reader sees
     * either no file or the whole file, then an fsync of the directory so the rename itself survives
     * a power failure (without it the new name may vanish after a crash even though the data is on disk).
     */
    void publish(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        fsync();
    }

    /** Deletes a file if it still exists; logs what was deleted and why. */
    void delete(Path file, String reason) throws IOException {
        if (Files.deleteIfExists(file)) {
            LOG.info("snapshot store {}: deleted {} ({})", path, file.getFileName(), reason);
        }
    }

    /** Deletes a temporary file after a failure, recording a failure to delete on {@code cause}. */
    void deleteAfterFailure(Path temp, Exception cause) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            cause.addSuppressed(e);
            LOG.warn("snapshot store {}: could not delete {} after a failure; the next open deletes it",
                    path, temp.getFileName(), e);
        }
    }

    private void fsync() throws IOException {
        try (FileChannel dir = FileChannel.open(path, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private List<Path> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
            for (Path file : stream) {
                files.add(file);
            }
        }
        return files;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
