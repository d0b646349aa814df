package io.raftkv.storage.wal;

import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable Raft log and hard state of one server: a segmented write-ahead log with a checksum
 * on every record and group commit (R-DISK-1..3). A driver persists each {@code Ready}'s hard
 * state and entries with {@link #persist} and sends the Ready's {@code messagesAfterPersist} only
 * once the returned future completes.
 *
 * <h2>Files</h2>
 * One directory holds the segments {@code <seq>-<firstIndex>.wal} (both 20-digit decimals), a
 * {@code wal.lock} file locked while the log is open, and transiently {@code *.tmp} files being
 * prepared as the next segment. {@code seq} orders the segments (1, 2, 3, ... with no gaps; only a
 * prefix is ever deleted); {@code firstIndex} is the log's last index + 1 when the segment was
 * created. The sequence number is needed because replacing a suffix can make a newer segment start
 * at a lower index than an older one.
 *
 * <h2>Segment format</h2>
 * A 36-byte header ({@link SegmentHeader}: magic {@code RKVWAL01}, version, seq, first index,
 * CRC32C), then records, each framed as {@code [u32 length][u32 CRC32C][u8 type][payload]} with
 * the CRC over type and payload ({@link RecordCodec}):
 * <pre>
 *   ENTRY        index, term, entry type, data length, data
 *   HARD_STATE   currentTerm, commitIndex, votedFor
 *   TRUNCATE     fromIndex       entries at and after it are gone (paper §5.3)
 *   FIRST_INDEX  firstIndex      entries before it are gone (compaction, paper §7)
 *   COMMIT       batch start offset, last index after the batch
 * </pre>
 * Records are written in <b>batches</b>, one per fsync. A batch ends with a COMMIT record naming
 * the offset where the batch began and the log's last index after it; recovery applies a batch
 * only when its COMMIT is intact and agrees, so every {@link #persist} is atomic (hard state,
 * truncation and entries together or not at all). Every segment begins with a batch holding the
 * current hard state and first index, so deleting older segments never loses them. Hard state
 * lives in the log so that one fsync covers a vote and the entries of the same Ready.
 *
 * <p>Replay rules: an ENTRY must carry the last index + 1; a TRUNCATE may name at most the last
 * index + 1 (below the first index it empties the log there); a FIRST_INDEX past the end empties
 * the log there; each segment must continue the log exactly where the previous one ended
 * ({@code firstIndex == lastIndex + 1} after its first batch). Anything else is corruption.
 *
 * <h2>What a crash at each step leaves behind</h2>
 * <ul>
 *   <li><b>While a batch is being written or synced</b>: the last segment ends in a partial,
 *       unsynced batch. Its futures have not completed, so nothing in it was acknowledged.
 *       Recovery cuts the segment back to the end of the last COMMIT (the torn-tail rule below).</li>
 *   <li><b>After the fsync, before the futures complete</b>: the batch is durable and recovered;
 *       its submitters never heard so, which Raft tolerates (a durable, unacknowledged entry).</li>
 *   <li><b>While preparing the next segment</b> (zero-filling a {@code .tmp} file): the file is
 *       deleted on open.</li>
 *   <li><b>During a roll</b>: (1) the active segment is cut to its data and synced; (2) the next
 *       segment's header and first batch are written under the temporary name and synced; (3) it is
 *       renamed and the directory synced. A crash before (3) leaves a {@code .tmp} (deleted); after
 *       (1) the old segment ends exactly after its last COMMIT either way.</li>
 *   <li><b>During compaction</b>: the FIRST_INDEX record is made durable first, then obsolete
 *       segments are deleted oldest first, then the directory is synced. Any suffix of the segments
 *       replays to the compacted log, so a crash midway only leaves files to delete next time
 *       (compaction is a hint about disk space; the first index is what the record says).</li>
 *   <li><b>During truncation of a conflicting suffix</b>: nothing is overwritten; a TRUNCATE record
 *       and the new entries are appended in one batch, so recovery yields the old log or the new
 *       one, never a mix. Replaced entries stay on disk until compaction deletes their segments.</li>
 * </ul>
 *
 * <h2>Torn tail or corruption</h2>
 * Damage in a segment that is not the last is corruption: such a segment was cut to its data and
 * synced before its successor existed. In the last segment, let {@code c} be the end of the last
 * COMMIT before the first damaged or unfinished record: only the batch starting at {@code c} can
 * have been in flight at a crash. It is a torn tail, cut off, if no intact record exists after
 * the damage except records of that same batch (including its own COMMIT, and nothing after
 * that); zero-filled space is never a record. Otherwise — a bad CRC, impossible length, unknown
 * type or zero gap followed by an intact later batch — the log refuses to open with a
 * {@link WalCorruptionException} naming the file and byte offset ({@link TailInspector}). So a
 * flipped bit in the last batch reads as torn (the same bytes a crash could leave); anywhere else
 * it stops the server, as LESSONS.md asks.
 *
 * <h2>Threads</h2>
 * Writes from any thread go through a bounded queue to one writer thread that owns the files
 * ({@link GroupCommitWriter}); concurrent submitters share fsyncs. Futures complete in submission
 * order on a completer thread ({@link Completer}), which overlaps waking the submitters with the
 * next fsync; a batch of a few requests with nothing before it still incomplete is completed on
 * the writer thread itself, a hand-off sooner. So keep dependent actions short, or use the
 * {@code *Async} variants with your own executor, and never wait inside one for another write of
 * this log (nor submit one that may block on back-pressure). Reads run on the calling thread and see
 * only durable entries; they resolve locations under a read lock and read the disk without it.
 */
public final class SegmentedLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentedLog.class);
    /** Name of the file locked while a process has the log open. */
    static final String LOCK_FILE = "wal.lock";

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Readers share it; the writer holds the write side only to publish a durable batch. */
    private final ReentrantReadWriteLock indexLock = new ReentrantReadWriteLock();
    private final LogIndex index;
    private final SubmitQueue queue;
    private final SegmentAllocator allocator;
    private final GroupCommitWriter writer;
    private final Thread writerThread;
    /** Completes futures; ends after the writer. */
    private final Thread completerThread;
    private final WalCounters counters;
    private final Object closeLock = new Object();
    private boolean closed;

    private SegmentedLog(Path directory, WalOptions options, Syncer syncer, WalCounters counters,
                         FileChannel lockChannel, FileLock lock, LogRecovery.Recovered recovered) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.counters = counters;
        this.index = recovered.index();
        String name = String.valueOf(directory.getFileName());
        this.queue = new SubmitQueue(index.firstIndex(), index.lastIndex(), options.maxPendingBytes(),
                options.maxEntryBytes());
        this.allocator = new SegmentAllocator(directory, options.segmentSizeBytes(), options.preallocate(),
                "raftkv-wal-allocator-" + name);
        Completer completer = new Completer();
        this.writer = new GroupCommitWriter(directory, options, queue, index, indexLock.writeLock(), syncer,
                allocator, completer, counters, new ArrayList<>(recovered.segments()));
        this.completerThread = new Thread(completer, "raftkv-wal-completer-" + name);
        completerThread.setDaemon(true);
        completerThread.start();
        this.writerThread = new Thread(writer, "raftkv-wal-writer-" + name);
        writerThread.setDaemon(true);
        writerThread.start();
    }

    /** Opens (recovering) or creates the log in {@code directory} with default options. */
    public static SegmentedLog open(Path directory) throws IOException {
        return open(directory, WalOptions.defaults());
    }

    /**
     * Opens the log in {@code directory}, creating the directory and an empty log if needed, and
     * recovers it: a torn tail is cut off; corruption throws {@link WalCorruptionException}.
     */
    public static SegmentedLog open(Path directory, WalOptions options) throws IOException {
        return open(directory, options, Syncer.DEFAULT);
    }

    /** Test seam: {@code syncer} performs (or fails, or counts) every fsync. */
    static SegmentedLog open(Path directory, WalOptions options, Syncer syncer) throws IOException {
        Files.createDirectories(directory);
        FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = lockDirectory(lockChannel, directory);
            WalCounters counters = new WalCounters();
            Syncer counting = counters.counting(syncer);
            long started = System.nanoTime();
            LogRecovery.Recovered recovered = LogRecovery.recover(directory, options, counting);
            LogIndex index = recovered.index();
            LOG.info("opened write-ahead log {}: {} segments, entries [{}, {}], {}, {} torn bytes cut, {} ms",
                    directory, recovered.segments().size(), index.firstIndex(), index.lastIndex(), index.hardState(),
                    recovered.discardedBytes(), (System.nanoTime() - started) / 1_000_000);
            return new SegmentedLog(directory, options, counting, counters, lockChannel, lock, recovered);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private static FileLock lockDirectory(FileChannel channel, Path directory) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("write-ahead log " + directory + " is open in another process");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            throw new IOException("write-ahead log " + directory + " is already open in this process", e);
        }
    }

    /**
     * Makes {@code hardState} (if not null) and {@code entries} durable together. The entries must
     * be consecutive and start within {@code [firstIndex, lastIndex + 1]} of the log as it will be
     * after every earlier submission; they replace every entry at or after the first one's index
     * (paper §5.3). With neither, the future completes once everything submitted before is durable.
     *
     * @return completes after the fsync covering these records; exceptionally with
     *         {@link WalFailedException} or {@link WalClosedException}
     * @throws IllegalArgumentException if the entries are not consecutive, start outside the allowed
     *                                  range, or one exceeds {@link WalOptions#maxEntryBytes()}
     */
    public CompletableFuture<Void> persist(HardState hardState, List<LogEntry> entries) {
        return queue.persist(hardState, entries, false);
    }

    /** Appends {@code entries}, which must start at the last index + 1 (as the log will be); see {@link #persist}. */
    public CompletableFuture<Void> append(List<LogEntry> entries) {
        return queue.persist(null, entries, true);
    }

    /**
     * Appends one entry at the next free index (after every earlier submission).
     *
     * @return completes with the entry's index once it is durable
     */
    public CompletableFuture<Long> append(long term, EntryType type, byte[] data) {
        return queue.append(term, type, data);
    }

    /**
     * Deletes the entries at and after {@code fromIndex} without appending any (durably, in one
     * batch): used when an installed snapshot does not continue the local log (paper Figure 13,
     * step 7). {@code fromIndex} may be at most the last index + 1 (then nothing changes).
     *
     * @return completes once the truncation is durable
     */
    public CompletableFuture<Void> truncateSuffix(long fromIndex) {
        return queue.truncate(fromIndex);
    }

    /**
     * Discards the entries up to and including {@code upToIndex}, covered by a snapshot (paper §7):
     * the first index becomes {@code upToIndex + 1} durably, and segments holding only discarded
     * entries are deleted. Past the last index it empties the log, which then continues at
     * {@code upToIndex + 1} (installing a snapshot from the leader).
     *
     * @return completes once the new first index is durable and obsolete segments are deleted
     */
    public CompletableFuture<Void> compactPrefix(long upToIndex) {
        return queue.compact(upToIndex);
    }

    /** The durable hard state ({@link HardState#INITIAL} for a new log). */
    public HardState hardState() {
        indexLock.readLock().lock();
        try {
            return index.hardState();
        } finally {
            indexLock.readLock().unlock();
        }
    }

    /** Index of the first durable entry; {@code lastIndex() + 1} when the log is empty. */
    public long firstIndex() {
        indexLock.readLock().lock();
        try {
            return index.firstIndex();
        } finally {
            indexLock.readLock().unlock();
        }
    }

    /** Index of the last durable entry; {@code firstIndex() - 1} when the log is empty (0 for a new log). */
    public long lastIndex() {
        indexLock.readLock().lock();
        try {
            return index.lastIndex();
        } finally {
            indexLock.readLock().unlock();
        }
    }

    /**
     * Term of the durable entry at {@code index}, from memory.
     *
     * @throws IndexOutOfBoundsException if the entry is not in {@code [firstIndex(), lastIndex()]}
     */
    public long term(long entryIndex) {
        indexLock.readLock().lock();
        try {
            return index.term(entryIndex);
        } finally {
            indexLock.readLock().unlock();
        }
    }

    /**
     * The durable entry at {@code index}, read from disk with its CRC checked.
     *
     * @throws IndexOutOfBoundsException if it is not in {@code [firstIndex(), lastIndex()]}
     * @throws UncheckedIOException      on an I/O error or a damaged record
     */
    public LogEntry entry(long entryIndex) {
        return read(entryIndex, entryIndex).get(0);
    }

    /** Durable entries {@code from..toInclusive}; see {@link #read(long, long, long)}. */
    public List<LogEntry> read(long from, long toInclusive) {
        return read(from, toInclusive, Long.MAX_VALUE);
    }

    /**
     * Durable entries {@code from..toInclusive}, read from disk with their CRCs checked, stopping
     * before the entry that would take the total {@link LogEntry#sizeBytes()} over {@code maxBytes}
     * (at least one entry is returned), as etcd's {@code Storage.Entries}. Disk reads happen outside
     * the index lock, so a long read does not delay writers.
     *
     * @throws IndexOutOfBoundsException if the range is empty or not within {@code [firstIndex(), lastIndex()]}
     * @throws UncheckedIOException      on an I/O error or a damaged record
     */
    public List<LogEntry> read(long from, long toInclusive, long maxBytes) {
        if (from > toInclusive) {
            throw new IndexOutOfBoundsException("empty range [" + from + ", " + toInclusive + "]");
        }
        EntryReader reader = new EntryReader(maxBytes);
        long next = from;
        try {
            while (next <= toInclusive) {
                EntryReader.Span span;
                indexLock.readLock().lock();
                try {
                    if (!index.holds(next) || !index.holds(toInclusive)) {
                        throw new IndexOutOfBoundsException("range [" + next + ", " + toInclusive + "] outside the"
                                + " log [" + index.firstIndex() + ", " + index.lastIndex() + "]"
                                + (next > from ? " (it changed while being read)" : ""));
                    }
                    span = EntryReader.plan(index, next, toInclusive);
                } finally {
                    indexLock.readLock().unlock();
                }
                if (!reader.read(span)) {
                    break;
                }
                next = span.lastIndex() + 1;
            }
        } catch (ClosedByInterruptException e) {
            throw new UncheckedIOException("reading entries from " + directory + " interrupted", e);
        } catch (ClosedChannelException e) {
            throw new IndexOutOfBoundsException("entries from " + next + " were compacted while being read");
        } catch (IOException e) {
            throw new UncheckedIOException("reading entries [" + from + ", " + toInclusive + "] from " + directory, e);
        }
        return reader.entries();
    }

    /** Counters since open. */
    public WalStats stats() {
        return counters.snapshot();
    }

    /** The directory of this log. */
    public Path directory() {
        return directory;
    }

    /**
     * Writes everything already submitted, then closes the files; later submissions fail with
     * {@link WalClosedException}. Idempotent. Must not be called from a future's dependent action
     * running on the writer thread.
     */
    @Override
    public void close() throws IOException {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            if (Thread.currentThread() == writerThread || Thread.currentThread() == completerThread) {
                throw new IllegalStateException("close() called from a future's dependent action, which runs on"
                        + " the write-ahead log's own thread; close it from elsewhere");
            }
            closed = true;
        }
        queue.close();
        boolean interrupted = false;
        for (Thread thread : new Thread[] {writerThread, completerThread}) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // finish closing: files must not stay open behind a half-closed log
                }
            }
        }
        IOException failure = null;
        try {
            allocator.close();
        } catch (IOException e) {
            failure = e;
        }
        for (SegmentFile segment : writer.segments()) {
            try {
                segment.close();
            } catch (IOException e) {
                failure = addFailure(failure, e);
            }
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            failure = addFailure(failure, e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        LOG.debug("closed write-ahead log {}", directory);
    }

    private static IOException addFailure(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
