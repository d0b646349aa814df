package io.raftkv.storage.snapshot;

import io.raftkv.core.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot files of one Raft server, in one directory: what log compaction leaves behind
 * (paper §7, Figure 12; thesis ch. 5; R-SNAP-1..3). A state machine writes a snapshot through
 * {@link #begin}; a follower rebuilds a leader's snapshot through {@link #receive} (or
 * {@link SnapshotInstaller}); a restarting server restores from {@link #latest()} (R-DISK-4).
 *
 * <h2>File format (version 1)</h2>
 * A snapshot file {@code snapshot-<index>-<term>.snap} (both numbers zero-padded to 19 digits) is,
 * all integers big-endian:
 * <pre>
 *   offset       size  field
 *   0            4     magic 0x524B5653 ("RKVS")
 *   4            4     format version (1)
 *   8            8     lastIncludedIndex
 *   16           8     lastIncludedTerm
 *   24           4     n = length of the encoded configuration (0 &lt; n &le; 67,592)
 *   28           n     the configuration at lastIncludedIndex, {@code ClusterConfig.encode()} (thesis §5.1)
 *   28+n         8     d = length of the state machine's data (-1 while unfinished)
 *   36+n         d     the state machine's data, opaque to this store
 *   36+n+d       4     CRC32C of every byte before the trailer, taken over the data section first
 *                      and then the header (bytes [36+n, 36+n+d) followed by [0, 36+n))
 * </pre>
 * The file is exactly {@code 40 + n + d} bytes; anything shorter or longer is corrupt.
 *
 * <p>Deliberate choice: the checksum takes the header <i>after</i> the data. The writer streams data
 * of unknown length (it never holds the snapshot in memory) and fills in {@code d} at commit; taking
 * the header last lets it compute the checksum in one pass while streaming and never re-read the
 * file. Every byte before the trailer is still covered exactly once.
 *
 * <h2>Writing, and what a crash at each step leaves behind</h2>
 * <ol>
 *   <li>{@code begin}: create {@code writing-<index>-<term>-<random>.tmp}, write the header with
 *       {@code d = -1}. <i>Crash:</i> a temporary file, deleted (with a log line) by the next
 *       {@link #open}; earlier snapshots untouched.</li>
 *   <li>The state machine streams its data; CRC32C is computed on the way. <i>Crash:</i> as above.</li>
 *   <li>{@code commit}: write the trailer, rewrite the header with the real {@code d}, fsync the file.
 *       <i>Crash:</i> as above; the snapshot was never reported committed, so the log it would have
 *       replaced is still there.</li>
 *   <li>Atomic rename to the final name. <i>Crash:</i> after a process crash the final file exists and
 *       is complete; after a power failure the rename may be lost, leaving the temporary file
 *       (deleted on open). Either way a reader sees all of the file or none of it.</li>
 *   <li>fsync the directory, so the rename survives a power failure. Only now does commit return, and
 *       only now may the caller discard the log prefix (paper §7).</li>
 *   <li>Retention deletes the oldest snapshots beyond {@link SnapshotStoreConfig#retainCount()}.
 *       <i>Crash:</i> some old snapshots remain; the next commit's retention deletes them.</li>
 * </ol>
 * An InstallSnapshot transfer follows the same path with a {@code receiving-...tmp} file that grows
 * chunk by chunk, then fsync, a full verification, rename and directory fsync (see
 * {@link SnapshotReceiver}).
 *
 * <h2>Opening</h2>
 * {@link #open} locks the directory, deletes every temporary file, then validates final files newest
 * first (header, exact size, name matching header, checksum) until one passes: that one is
 * {@link #latest()}. A file that fails is skipped with a WARN naming it and the reason, and left on
 * disk for inspection until retention removes it. Final files are immutable: the store never writes
 * under a final name, and a commit whose name already holds a valid snapshot keeps the existing one.
 *
 * <p>Thread-safe: writers and a receiver stream concurrently; publication, retention and
 * {@link #latest()} are serialized by one lock.
 */
public final class SnapshotStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    private final SnapshotDirectory directory;
    private final SnapshotStoreConfig config;
    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}. The newest valid snapshot (by index, then term), if any. */
    private SnapshotFile latest;
    /** Guarded by {@link #lock}. Final-named files found corrupt; never returned, deleted by retention. */
    private final Set<Path> knownCorrupt = new HashSet<>();
    /** Guarded by {@link #lock}. The transfer being received, or the last one that finished. */
    private SnapshotReceiver activeReceiver;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private SnapshotStore(SnapshotDirectory directory, SnapshotStoreConfig config) {
        this.directory = directory;
        this.config = config;
    }

    /** Opens (creating if needed) a store in {@code directory} with the default configuration. */
    public static SnapshotStore open(Path directory) throws IOException {
        return open(directory, SnapshotStoreConfig.defaults());
    }

    /**
     * Opens (creating if needed) a store in {@code directory}: locks it, deletes temporary files left
     * by a crash, and finds the newest valid snapshot, skipping corrupt ones with a WARN.
     *
     * @throws IOException if the directory cannot be used or another store has it open
     */
    public static SnapshotStore open(Path directory, SnapshotStoreConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        SnapshotDirectory dir = SnapshotDirectory.openLocked(directory);
        try {
            SnapshotStore store = new SnapshotStore(dir, config);
            dir.deleteTempFiles();
            store.findLatest();
            LOG.info("snapshot store {}: opened; latest snapshot {}", directory,
                    store.latest == null ? "none" : store.latest);
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                dir.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private void findLatest() throws IOException {
        for (SnapshotDirectory.Entry entry : directory.listSnapshots()) {
            Optional<SnapshotFile> valid = validate(entry);
            if (valid.isPresent()) {
                latest = valid.get();
                return;
            }
        }
    }

    /** Reads a final-named file in full; empty (after a WARN naming the file) if it is corrupt. */
    private Optional<SnapshotFile> validate(SnapshotDirectory.Entry entry) throws IOException {
        String name = entry.path().getFileName().toString();
        try {
            SnapshotHeader header = SnapshotReader.verify(entry.path(), config.bufferSizeBytes());
            SnapshotMetadata metadata = header.metadata();
            if (metadata.lastIncludedIndex() != entry.lastIncludedIndex()
                    || metadata.lastIncludedTerm() != entry.lastIncludedTerm()) {
                throw SnapshotCorruptedException.malformed(name, "header holds snapshot "
                        + metadata.lastIncludedIndex() + "@" + metadata.lastIncludedTerm() + ", not the one its name says");
            }
            return Optional.of(new SnapshotFile(entry.path(), header, config.bufferSizeBytes()));
        } catch (SnapshotCorruptedException e) {
            knownCorrupt.add(entry.path());
            LOG.warn("snapshot store {}: skipping an invalid snapshot, {}; falling back to an older one",
                    directory.path(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Starts writing a snapshot of the state machine as of {@code metadata.lastIncludedIndex()}
     * (R-SNAP-1: only over applied entries; the caller's duty). The state machine streams into
     * {@link SnapshotWriter#output()}; nothing is visible until {@link SnapshotWriter#commit()}.
     */
    public SnapshotWriter begin(SnapshotMetadata metadata) throws IOException {
        Objects.requireNonNull(metadata, "metadata");
        checkOpen();
        return SnapshotWriter.create(this, directory, metadata, config.bufferSizeBytes());
    }

    /**
     * The newest valid snapshot, by last included index then term; empty if there is none. Validated
     * once (on open, or written and fsynced by this process); a reader re-verifies the checksum as it
     * streams, which catches damage after that.
     */
    public Optional<SnapshotFile> latest() {
        lock.lock();
        try {
            return Optional.ofNullable(latest);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts receiving {@code transfer}, replacing (and deleting the temporary file of) any transfer
     * in progress: a follower rebuilds one snapshot at a time. Ordering between transfers is the
     * caller's business ({@link SnapshotInstaller} refuses older ones).
     *
     * @throws IllegalArgumentException if the announced size exceeds
     *         {@link SnapshotStoreConfig#maxReceiveSizeBytes()} or is below the smallest snapshot
     */
    public SnapshotReceiver receive(SnapshotTransfer transfer) throws IOException {
        Objects.requireNonNull(transfer, "transfer");
        if (transfer.totalSizeBytes() > config.maxReceiveSizeBytes()
                || transfer.totalSizeBytes() < SnapshotFormat.MIN_FILE_BYTES) {
            throw new IllegalArgumentException(transfer + " is outside the accepted size range "
                    + SnapshotFormat.MIN_FILE_BYTES + ".." + config.maxReceiveSizeBytes() + " bytes");
        }
        SnapshotReceiver created = SnapshotReceiver.create(this, directory, transfer, config.bufferSizeBytes());
        SnapshotReceiver replaced;
        lock.lock();
        try {
            if (closed) {
                created.abort();
                throw new IllegalStateException("snapshot store " + directory.path() + " is closed");
            }
            replaced = activeReceiver;
            activeReceiver = created;
        } finally {
            lock.unlock();
        }
        if (replaced != null) {
            replaced.supersede(transfer); // outside the store lock: the receiver may be publishing
        }
        return created;
    }

    /** The transfer being received or the last one received, if any. */
    public Optional<SnapshotReceiver> activeReceiver() {
        lock.lock();
        try {
            return Optional.ofNullable(activeReceiver);
        } finally {
            lock.unlock();
        }
    }

    /** The store's directory. */
    public Path directory() {
        return directory.path();
    }

    public SnapshotStoreConfig config() {
        return config;
    }

    /**
     * Gives a complete, fsynced temporary file its final name and makes it {@link #latest()} if it is
     * the newest, then applies retention. Used by writers and receivers.
     */
    SnapshotFile publish(Path temp, SnapshotHeader header) throws IOException {
        SnapshotMetadata metadata = header.metadata();
        lock.lock();
        try {
            checkOpen();
            Path target = directory.finalPath(metadata.lastIncludedIndex(), metadata.lastIncludedTerm());
            Optional<SnapshotFile> existing = existingValid(target);
            SnapshotFile published;
            if (existing.isPresent()) {
                directory.delete(temp, "a valid " + target.getFileName() + " already exists; final files never change");
                published = existing.get();
            } else {
                directory.publish(temp, target);
                knownCorrupt.remove(target);
                published = new SnapshotFile(target, header, config.bufferSizeBytes());
                LOG.info("snapshot store {}: committed {}", directory.path(), published);
            }
            if (latest == null || isNewer(published.metadata(), latest.metadata())) {
                latest = published;
            }
            applyRetention(published.path());
            return published;
        } finally {
            lock.unlock();
        }
    }

    private Optional<SnapshotFile> existingValid(Path target) throws IOException {
        if (!Files.exists(target) || knownCorrupt.contains(target)) {
            return Optional.empty();
        }
        if (latest != null && latest.path().equals(target)) {
            return Optional.of(latest);
        }
        String name = target.getFileName().toString();
        long[] parsed = SnapshotFormat.parseFinalName(name).orElseThrow();
        return validate(new SnapshotDirectory.Entry(target, parsed[0], parsed[1]));
    }

    private static boolean isNewer(SnapshotMetadata a, SnapshotMetadata b) {
        return a.lastIncludedIndex() > b.lastIncludedIndex()
                || (a.lastIncludedIndex() == b.lastIncludedIndex() && a.lastIncludedTerm() > b.lastIncludedTerm());
    }

    /**
     * Keeps the newest {@code retainCount} snapshots not known to be corrupt, and deletes every other
     * final file. The latest is always among those kept: every file newer than it is known corrupt.
     * {@code justPublished} is spared even if older ones fill the quota (a caller committing an old
     * index gets a file that exists); the next pass removes it.
     */
    private void applyRetention(Path justPublished) throws IOException {
        int kept = 0;
        for (SnapshotDirectory.Entry entry : directory.listSnapshots()) {
            boolean corrupt = knownCorrupt.contains(entry.path());
            if (!corrupt && kept < config.retainCount()) {
                kept++;
            } else if (entry.path().equals(justPublished)) {
                LOG.debug("snapshot store {}: keeping {} until the next commit although it is beyond retention",
                        directory.path(), entry.path().getFileName());
            } else {
                directory.delete(entry.path(), corrupt ? "failed validation earlier"
                        : "retention keeps the newest " + config.retainCount());
                knownCorrupt.remove(entry.path());
            }
        }
    }

    private void checkOpen() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("snapshot store " + directory.path() + " is closed");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Aborts a transfer in progress (deleting its temporary file) and releases the directory. Writers
     * still open cannot commit afterwards; their temporary files are deleted by the next open.
     */
    @Override
    public void close() throws IOException {
        SnapshotReceiver receiver;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            receiver = activeReceiver;
            activeReceiver = null;
        } finally {
            lock.unlock();
        }
        try {
            if (receiver != null) {
                receiver.abort();
            }
        } finally {
            directory.close();
            LOG.info("snapshot store {}: closed", directory.path());
        }
    }
}
