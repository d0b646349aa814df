package io.raftkv.storage.snapshot;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.NodeId;
import io.raftkv.core.SnapshotMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Test helpers: metadata, committing seeded snapshots, and looking at the directory. */
final class Snapshots {
    static final ClusterConfig CONFIG = new ClusterConfig(
            Set.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3")), Set.of(NodeId.of("learner-4")));

    private Snapshots() {
    }

    static SnapshotMetadata metadata(long index, long term) {
        return new SnapshotMetadata(index, term, CONFIG);
    }

    /** Commits a snapshot at {@code index@term} whose data is {@code length} bytes seeded by {@code index}. */
    static SnapshotFile commit(SnapshotStore store, long index, long term, long length) throws IOException {
        return commit(store, index, term, index, length);
    }

    static SnapshotFile commit(SnapshotStore store, long index, long term, long seed, long length)
            throws IOException {
        try (SnapshotWriter writer = store.begin(metadata(index, term))) {
            SeededData.write(writer.output(), seed, length);
            return writer.commit();
        }
    }

    /** Reads the snapshot's data to the end and checks it against the seed. */
    static void assertContent(SnapshotFile file, long seed, long length) throws IOException {
        try (SnapshotReader reader = file.openReader()) {
            SeededData.assertMatches(reader.data(), seed, length);
        }
    }

    static List<String> fileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> snapshotNames(Path dir) {
        return fileNames(dir).stream().filter(n -> n.endsWith(".snap")).toList();
    }

    static List<String> tempNames(Path dir) {
        return fileNames(dir).stream().filter(n -> n.endsWith(".tmp")).toList();
    }

    static String name(long index, long term) {
        return SnapshotFormat.finalName(index, term);
    }

    /** Flips every bit of the byte at {@code position}. */
    static void flipByte(Path file, long position) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            one.put(0, (byte) ~one.get(0));
            channel.write(one, position);
        }
    }
}
