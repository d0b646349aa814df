package io.raftkv.storage.snapshot;

import static io.raftkv.storage.snapshot.Snapshots.assertContent;
import static io.raftkv.storage.snapshot.Snapshots.commit;
import static io.raftkv.storage.snapshot.Snapshots.flipByte;
import static io.raftkv.storage.snapshot.Snapshots.metadata;
import static io.raftkv.storage.snapshot.Snapshots.name;
import static io.raftkv.storage.snapshot.Snapshots.snapshotNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged snapshot files are detected, reported with the file's name, and skipped in favour of the
 * previous valid snapshot (R-DISK-2; LESSONS.md: partially written snapshots taken for complete ones).
 */
class SnapshotCorruptionTest {
    private static final int DATA_BYTES = 200_000;
    private static final int CONFIG_BYTES = Snapshots.CONFIG.encode().length;
    private static final int HEADER_BYTES = 36 + CONFIG_BYTES;

    @TempDir
    Path dir;

    /** Commits 10@1 and 20@2 and returns the newer file's path. */
    private Path twoSnapshots() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            commit(store, 10, 1, DATA_BYTES);
            return commit(store, 20, 2, DATA_BYTES).path();
        }
    }

    private void assertFallsBackToTheOlderSnapshot(Path damaged, String reason) throws IOException {
        try (LogCapture log = new LogCapture(SnapshotStore.class); SnapshotStore store = SnapshotStore.open(dir)) {
            SnapshotFile latest = store.latest().orElseThrow();
            assertThat(latest.metadata()).isEqualTo(metadata(10, 1));
            assertContent(latest, 10, DATA_BYTES);
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains(damaged.getFileName().toString()).contains(reason);
        }
    }

    @Test
    void aFlippedDataByteFailsTheChecksumWithAClearMessage() throws IOException {
        Path newest = twoSnapshots();
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            flipByte(newest, HEADER_BYTES + DATA_BYTES / 2); // damage after validation, while it is the latest
            SnapshotFile file = store.latest().orElseThrow();
            try (SnapshotReader reader = file.openReader()) {
                assertThatThrownBy(() -> reader.data().readAllBytes())
                        .isInstanceOf(SnapshotCorruptedException.class)
                        .hasMessageMatching("bad checksum in " + name(20, 2).replace(".", "\\.")
                                + ": expected 0x[0-9a-f]{8} got 0x[0-9a-f]{8}")
                        .satisfies(e -> assertThat(((SnapshotCorruptedException) e).fileName()).isEqualTo(name(20, 2)));
            }
        }
        assertFallsBackToTheOlderSnapshot(newest, "bad checksum");
    }

    /** A state machine that reads exactly the data length never sees end of stream; it must still be told. */
    @Test
    void theChecksumIsCheckedBeforeTheLastByteIsHandedOut() throws IOException {
        Path newest = twoSnapshots();
        flipByte(newest, HEADER_BYTES + 3);
        try (SnapshotReader reader = SnapshotReader.open(newest, 4096)) {
            DataInputStream in = new DataInputStream(reader.data());
            byte[] all = new byte[DATA_BYTES];
            assertThatThrownBy(() -> in.readFully(all)).isInstanceOf(SnapshotCorruptedException.class)
                    .hasMessageStartingWith("bad checksum in " + name(20, 2));
        }
    }

    /** Every region of the file is covered: header fields, configuration, data length, data, trailer. */
    static IntStream regions() {
        return IntStream.of(0, 5, 9, 17, 25, 30, HEADER_BYTES - 1, HEADER_BYTES, HEADER_BYTES + DATA_BYTES - 1,
                HEADER_BYTES + DATA_BYTES, HEADER_BYTES + DATA_BYTES + 3);
    }

    @ParameterizedTest(name = "flipped byte at offset {0}")
    @MethodSource("regions")
    void aFlippedByteAnywhereIsDetected(int offset) throws IOException {
        Path newest = twoSnapshots();
        flipByte(newest, offset);
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            assertThat(store.latest().orElseThrow().metadata()).isEqualTo(metadata(10, 1));
        }
    }

    static IntStream truncatedLengths() {
        return IntStream.of(0, 10, 30, HEADER_BYTES, HEADER_BYTES + 1000, HEADER_BYTES + DATA_BYTES + 2);
    }

    @ParameterizedTest(name = "truncated to {0} bytes")
    @MethodSource("truncatedLengths")
    void aTruncatedFileIsSkipped(int length) throws IOException {
        Path newest = twoSnapshots();
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
            file.setLength(length);
        }
        assertFallsBackToTheOlderSnapshot(newest, "truncated");
    }

    @Test
    void aTruncatedFileFailsTheReaderToo() throws IOException {
        Path newest = twoSnapshots();
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            SnapshotFile file = store.latest().orElseThrow();
            try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
                raf.setLength(HEADER_BYTES + 100);
            }
            assertThatThrownBy(file::openReader).isInstanceOf(SnapshotCorruptedException.class)
                    .hasMessageContaining(name(20, 2)).hasMessageContaining("truncated");
        }
    }

    @Test
    void bytesAfterTheTrailerAreDetected() throws IOException {
        Path newest = twoSnapshots();
        Files.write(newest, new byte[] {0}, StandardOpenOption.APPEND);
        assertFallsBackToTheOlderSnapshot(newest, "unexpected bytes after the trailer");
    }

    @Test
    void aFileWhoseHeaderDisagreesWithItsNameIsSkipped() throws IOException {
        Path newest = twoSnapshots();
        Path renamed = dir.resolve(name(30, 2));
        Files.move(newest, renamed);
        assertFallsBackToTheOlderSnapshot(renamed, "not the one its name says");
    }

    @Test
    void anUnfinishedFileUnderAFinalNameIsSkipped() throws IOException {
        twoSnapshots();
        Path unfinished;
        try (SnapshotStore store = SnapshotStore.open(dir); SnapshotWriter writer = store.begin(metadata(30, 3))) {
            SeededData.write(writer.output(), 30, 5_000);
            writer.output().flush();
            unfinished = dir.resolve(name(30, 3));
            try (var temps = Files.list(dir)) { // as if renamed without commit: data length still -1
                Files.copy(temps.filter(p -> p.toString().endsWith(".tmp")).findFirst().orElseThrow(), unfinished);
            }
        }
        try (LogCapture log = new LogCapture(SnapshotStore.class); SnapshotStore store = SnapshotStore.open(dir)) {
            assertThat(store.latest().orElseThrow().metadata()).isEqualTo(metadata(20, 2));
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains(unfinished.getFileName().toString()).contains("unfinished");
        }
    }

    @Test
    void aForeignFileWithASnapshotNameIsSkipped() throws IOException {
        twoSnapshots();
        Path foreign = dir.resolve(name(99, 9));
        Files.writeString(foreign, "this is not a snapshot, but it is long enough to have a header");
        try (LogCapture log = new LogCapture(SnapshotStore.class); SnapshotStore store = SnapshotStore.open(dir)) {
            assertThat(store.latest().orElseThrow().metadata()).isEqualTo(metadata(20, 2));
            assertThat(log.messages(Level.WARN)).singleElement().asString().contains("bad magic");
        }
    }

    @Test
    void whenEverySnapshotIsCorruptThereIsNone() throws IOException {
        Path newest = twoSnapshots();
        flipByte(newest, HEADER_BYTES + 1);
        flipByte(dir.resolve(name(10, 1)), HEADER_BYTES + 1);
        try (LogCapture log = new LogCapture(SnapshotStore.class); SnapshotStore store = SnapshotStore.open(dir)) {
            assertThat(store.latest()).isEmpty();
            assertThat(log.messages(Level.WARN)).hasSize(2);
        }
    }

    /** A corrupt file stays for inspection until a newer valid snapshot lets retention remove it. */
    @Test
    void retentionRemovesCorruptFilesAfterTheNextCommit() throws IOException {
        Path newest = twoSnapshots();
        flipByte(newest, HEADER_BYTES + 1);
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            assertThat(snapshotNames(dir)).contains(name(20, 2));
            commit(store, 15, 2, 100);
            assertThat(snapshotNames(dir)).containsExactly(name(10, 1), name(15, 2));
            assertThat(store.latest().orElseThrow().metadata()).isEqualTo(metadata(15, 2));
        }
    }

    /** A commit under the name of a corrupt file replaces it rather than keeping it. */
    @Test
    void aCommitReplacesACorruptFileOfTheSameName() throws IOException {
        Path newest = twoSnapshots();
        flipByte(newest, HEADER_BYTES + 1);
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            SnapshotFile file = commit(store, 20, 2, 20, DATA_BYTES);
            assertThat(store.latest()).contains(file);
            assertContent(file, 20, DATA_BYTES);
        }
    }
}
