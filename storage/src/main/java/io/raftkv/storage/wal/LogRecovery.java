package io.raftkv.storage.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the log from its directory on open: finds the segments, checks that their sequence
 * numbers are consecutive, replays them in order ({@link SegmentReplayer}) and returns them open,
 * with the index of every live entry. Creates the first segment of a new log.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    /**
     * What recovery found.
     *
     * @param segments       every segment, oldest first, open; the last one is where writing resumes
     * @param index          the live entries and the durable hard state
     * @param discardedBytes bytes of torn tail cut off the last segment
     */
    record Recovered(List<SegmentFile> segments, LogIndex index, long discardedBytes) {
    }

    private LogRecovery() {
    }

    /**
     * Recovers the log in {@code directory} (which must exist), creating it if it holds no segment.
     * With preallocation, the segment where writing resumes is zero-filled to the segment size (a
     * new log's first segment, or one cut at a torn tail), so that its fsyncs are as cheap as in
     * any later segment.
     */
    static Recovered recover(Path directory, WalOptions options, Syncer syncer) throws IOException {
        TreeMap<Long, SegmentName> names = listSegments(directory);
        List<SegmentFile> segments = new ArrayList<>();
        try {
            if (names.isEmpty()) {
                LogIndex index = new LogIndex(1);
                Path prepared = directory.resolve("create" + SegmentAllocator.TEMP_SUFFIX);
                Files.deleteIfExists(prepared);
                Files.createFile(prepared);
                segments.add(SegmentCreator.create(directory, prepared, new SegmentName(1, 1), index, syncer));
                preallocate(segments.get(0), options, syncer);
                LOG.info("created a new write-ahead log in {}", directory);
                return new Recovered(segments, index, 0);
            }
            LogIndex index = new LogIndex(names.firstEntry().getValue().firstIndex());
            SegmentReplayer replayer = new SegmentReplayer(index, syncer);
            long previousSeq = -1;
            for (SegmentName name : names.values()) {
                Path path = directory.resolve(name.fileName());
                if (previousSeq >= 0 && name.seq() != previousSeq + 1) {
                    throw new WalCorruptionException(path, 0, "segment sequence gap: segment " + previousSeq
                            + " is followed by " + name.seq() + " (a segment is missing)");
                }
                previousSeq = name.seq();
                SegmentFile segment = SegmentFile.open(path, name);
                segments.add(segment);
                replayer.replay(segment, name.seq() == names.lastKey());
            }
            preallocate(segments.get(segments.size() - 1), options, syncer);
            return new Recovered(segments, index, replayer.discardedBytes());
        } catch (IOException | RuntimeException e) {
            for (SegmentFile segment : segments) {
                try {
                    segment.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
    }

    /** Zero-fills the segment where writing resumes up to the segment size, if preallocating. */
    private static void preallocate(SegmentFile active, WalOptions options, Syncer syncer) throws IOException {
        long size = active.size();
        if (options.preallocate() && size < options.segmentSizeBytes()) {
            SegmentAllocator.zeroFill(active.channel(), size, options.segmentSizeBytes());
            syncer.syncFile(active.channel());
        }
    }

    /** Segment names by sequence number; deletes leftover temporary files; refuses unreadable names. */
    private static TreeMap<Long, SegmentName> listSegments(Path directory) throws IOException {
        TreeMap<Long, SegmentName> names = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(SegmentAllocator.TEMP_SUFFIX)) {
                    LOG.info("deleting {}, a segment file that was being prepared at a crash", file);
                    Files.delete(file);
                    continue;
                }
                if (!fileName.endsWith(SegmentName.SUFFIX)) {
                    continue; // the lock file, or something an operator put here: not ours to judge
                }
                Optional<SegmentName> name = SegmentName.parse(fileName);
                if (name.isEmpty()) {
                    throw new WalCorruptionException(file, 0, "not a valid segment file name (expected"
                            + " <20-digit seq>-<20-digit first index>.wal)");
                }
                if (names.put(name.get().seq(), name.get()) != null) {
                    throw new WalCorruptionException(file, 0, "two segments with sequence number " + name.get().seq());
                }
            }
        }
        return names;
    }
}
