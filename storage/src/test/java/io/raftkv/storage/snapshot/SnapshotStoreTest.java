package io.raftkv.storage.snapshot;

import static io.raftkv.storage.snapshot.Snapshots.assertContent;
import static io.raftkv.storage.snapshot.Snapshots.commit;
import static io.raftkv.storage.snapshot.Snapshots.metadata;
import static io.raftkv.storage.snapshot.Snapshots.name;
import static io.raftkv.storage.snapshot.Snapshots.snapshotNames;
import static io.raftkv.storage.snapshot.Snapshots.tempNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing, committing, reading, retention and cleanup of snapshot files (paper §7; thesis ch. 5). */
class SnapshotStoreTest {
    @TempDir
    Path dir;

    @Test
    void aFreshDirectoryHasNoSnapshot() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir.resolve("new"))) {
            assertThat(store.latest()).isEmpty();
            assertThat(Files.isDirectory(dir.resolve("new"))).isTrue();
        }
    }

    @Test
    void committedSnapshotRoundTripsWithItsMetadata() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            SnapshotFile file = commit(store, 42, 7, 100_000);

            assertThat(file.path().getFileName().toString()).isEqualTo(name(42, 7))
                    .isEqualTo("snapshot-0000000000000000042-0000000000000000007.snap");
            assertThat(file.metadata()).isEqualTo(metadata(42, 7));
            assertThat(file.dataSizeBytes()).isEqualTo(100_000);
            int configBytes = Snapshots.CONFIG.encode().length;
            assertThat(file.sizeBytes()).isEqualTo(40 + configBytes + 100_000).isEqualTo(Files.size(file.path()));
            assertThat(store.latest()).contains(file);
            try (SnapshotReader reader = file.openReader()) {
                assertThat(reader.metadata()).isEqualTo(metadata(42, 7));
                assertThat(reader.dataSizeBytes()).isEqualTo(100_000);
                SeededData.assertMatches(reader.data(), 42, 100_000);
            }
            assertThat(tempNames(dir)).isEmpty();
        }
        try (SnapshotStore reopened = SnapshotStore.open(dir)) {
            assertThat(reopened.latest()).hasValueSatisfying(f -> assertThat(f.metadata()).isEqualTo(metadata(42, 7)));
            assertContent(reopened.latest().orElseThrow(), 42, 100_000);
        }
    }

    @Test
    void snapshotWithNoDataRoundTrips() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            SnapshotFile file = commit(store, 1, 1, 0);
            assertThat(file.dataSizeBytes()).isZero();
            assertContent(file, 1, 0);
        }
        try (SnapshotStore reopened = SnapshotStore.open(dir)) {
            assertThat(reopened.latest()).isPresent();
        }
    }

    /** 50 MiB streamed in and out a block at a time; neither side holds the snapshot in memory. */
    @Test
    void largeSnapshotStreamsThroughWithoutBeingHeldInMemory() throws IOException {
        long length = 50L * 1024 * 1024;
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            SnapshotFile file = commit(store, 1_000_000, 12, 99, length);
            assertThat(file.dataSizeBytes()).isEqualTo(length);
        }
        try (SnapshotStore reopened = SnapshotStore.open(dir)) { // validates the whole file once more
            SnapshotFile latest = reopened.latest().orElseThrow();
            assertThat(latest.dataSizeBytes()).isEqualTo(length);
            assertContent(latest, 99, length);
        }
    }

    @Test
    void stateMachineMayWriteByteByByteAndCloseItsStream() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir); SnapshotWriter writer = store.begin(metadata(3, 1))) {
            try (OutputStream out = writer.output()) { // a state machine's own try-with-resources
                for (int i = 0; i < 10_000; i++) {
                    out.write(i);
                }
            }
            assertThat(writer.dataBytesWritten()).isEqualTo(10_000);
            SnapshotFile file = writer.commit();
            try (SnapshotReader reader = file.openReader()) {
                byte[] data = reader.data().readAllBytes();
                assertThat(data).hasSize(10_000);
                assertThat(data[9_999]).isEqualTo((byte) 9_999);
            }
        }
    }

    @Test
    void latestIsTheNewestByIndexThenTerm() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir, SnapshotStoreConfig.builder().retainCount(5).build())) {
            commit(store, 10, 2, 10);
            commit(store, 20, 3, 10);
            assertThat(store.latest().orElseThrow().metadata().lastIncludedIndex()).isEqualTo(20);
            commit(store, 15, 3, 10); // an older snapshot does not replace the latest
            assertThat(store.latest().orElseThrow().metadata()).isEqualTo(metadata(20, 3));
        }
        try (SnapshotStore reopened = SnapshotStore.open(dir)) {
            assertThat(reopened.latest().orElseThrow().metadata()).isEqualTo(metadata(20, 3));
        }
    }

    @Test
    void retentionKeepsTheNewestTwoByDefault() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            for (long index = 1; index <= 5; index++) {
                commit(store, index * 10, 1, 1_000);
            }
            assertThat(snapshotNames(dir)).containsExactly(name(40, 1), name(50, 1));
        }
    }

    @Test
    void retentionCountIsConfigurable() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir, SnapshotStoreConfig.builder().retainCount(1).build())) {
            commit(store, 1, 1, 10);
            commit(store, 2, 1, 10);
            assertThat(snapshotNames(dir)).containsExactly(name(2, 1));
        }
        try (SnapshotStore store = SnapshotStore.open(dir, SnapshotStoreConfig.builder().retainCount(3).build())) {
            for (long index = 3; index <= 6; index++) {
                commit(store, index, 1, 10);
            }
            assertThat(snapshotNames(dir)).containsExactly(name(4, 1), name(5, 1), name(6, 1));
        }
    }

    @Test
    void committingAnOldIndexReturnsAFileThatExistsUntilTheNextCommit() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            commit(store, 20, 1, 10);
            commit(store, 30, 1, 10);
            SnapshotFile old = commit(store, 10, 1, 10);
            assertThat(Files.exists(old.path())).isTrue();
            assertThat(store.latest().orElseThrow().metadata()).isEqualTo(metadata(30, 1));
            commit(store, 40, 1, 10);
            assertThat(snapshotNames(dir)).containsExactly(name(30, 1), name(40, 1));
        }
    }

    @Test
    void openDeletesTemporaryFilesLeftByACrashAndSaysSo() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            commit(store, 5, 1, 1_000);
            SnapshotWriter unfinished = store.begin(metadata(6, 1)); // the "crash": never committed or aborted
            SeededData.write(unfinished.output(), 6, 300_000);
            unfinished.output().flush();
        }
        Files.write(dir.resolve("receiving-9-2-123.tmp"), new byte[] {1, 2, 3}); // a transfer cut short
        assertThat(tempNames(dir)).hasSize(2);

        try (LogCapture log = new LogCapture(SnapshotDirectory.class);
             SnapshotStore reopened = SnapshotStore.open(dir)) {
            assertThat(tempNames(dir)).isEmpty();
            assertThat(reopened.latest().orElseThrow().metadata()).isEqualTo(metadata(5, 1));
            assertThat(log.messages(Level.INFO)).hasSize(2)
                    .anySatisfy(m -> assertThat(m).contains("receiving-9-2-123.tmp").contains("unfinished"));
        }
    }

    @Test
    void abortAndCloseWithoutCommitLeaveNothingBehind() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            SnapshotWriter aborted = store.begin(metadata(1, 1));
            SeededData.write(aborted.output(), 1, 5_000);
            aborted.abort();
            assertThatThrownBy(() -> aborted.output().write(1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("ABORTED");
            assertThatThrownBy(aborted::commit).isInstanceOf(IllegalStateException.class);

            try (SnapshotWriter closed = store.begin(metadata(2, 1))) {
                SeededData.write(closed.output(), 2, 5_000);
            }
            assertThat(tempNames(dir)).isEmpty();
            assertThat(snapshotNames(dir)).isEmpty();
            assertThat(store.latest()).isEmpty();
        }
    }

    @Test
    void aCommittedWriterCannotBeCommittedOrWrittenAgain() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir); SnapshotWriter writer = store.begin(metadata(1, 1))) {
            writer.commit();
            assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("COMMITTED");
            assertThatThrownBy(() -> writer.output().write(new byte[3])).isInstanceOf(IOException.class);
            writer.abort(); // no effect after commit
            assertThat(snapshotNames(dir)).containsExactly(name(1, 1));
        }
    }

    /** Final files never change, which is what makes a leader's stateless chunk reads safe. */
    @Test
    void committingAnExistingNameKeepsTheExistingFile() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            commit(store, 8, 2, 111, 4_000);
            SnapshotFile second = commit(store, 8, 2, 222, 9_000);
            assertThat(second.dataSizeBytes()).isEqualTo(4_000);
            assertContent(store.latest().orElseThrow(), 111, 4_000);
            assertThat(tempNames(dir)).isEmpty();
        }
    }

    @Test
    void aDirectoryServesOneStoreAtATime() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir)) {
            assertThatThrownBy(() -> SnapshotStore.open(dir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("already open");
        }
        SnapshotStore.open(dir).close(); // released on close
    }

    @Test
    void aClosedStoreRefusesWork() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        SnapshotWriter writer = store.begin(metadata(1, 1));
        store.close();
        assertThatThrownBy(() -> store.begin(metadata(2, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(tempNames(dir)).isEmpty();
        assertThat(snapshotNames(dir)).isEmpty();
    }

    @Test
    void configRejectsOutOfRangeLimits() {
        assertThatThrownBy(() -> SnapshotStoreConfig.builder().retainCount(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retainCount");
        assertThatThrownBy(() -> SnapshotStoreConfig.builder().bufferSizeBytes(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bufferSizeBytes");
        assertThatThrownBy(() -> SnapshotStoreConfig.builder().maxReceiveSizeBytes(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxReceiveSizeBytes");
    }
}
