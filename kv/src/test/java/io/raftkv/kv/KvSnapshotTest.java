package io.raftkv.kv;

import static io.raftkv.kv.KvHarness.b;
import static io.raftkv.kv.KvHarness.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.node.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Snapshots taken while applying (R-SNAP-2), restore (R-KV-2), and rejection of corrupt snapshots. */
class KvSnapshotTest {

    private final KvHarness kv = new KvHarness();

    private static byte[] write(StateMachine.Snapshot snapshot) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        snapshot.writeTo(out);
        return out.toByteArray();
    }

    private static KvStateMachine restore(byte[] bytes) throws IOException {
        KvStateMachine restored = new KvStateMachine();
        restored.restore(new ByteArrayInputStream(bytes));
        return restored;
    }

    @Test
    void writesAfterTheSnapshotDoNotAppearInIt() throws IOException {
        kv.apply(set("a", "1"));
        kv.apply(set("b", "2"));
        StateMachine.Snapshot snapshot = kv.stateMachine.snapshot();
        kv.apply(set("a", "changed"));
        kv.apply(new KvCommand.Delete(List.of(b("b"))));
        kv.apply(set("c", "3"));

        KvReadView view = restore(write(snapshot)).readView();
        assertThat(view.get(b("a"))).contains(b("1"));
        assertThat(view.get(b("b"))).contains(b("2"));
        assertThat(view.get(b("c"))).isEmpty();
        assertThat(view.appliedIndex()).isEqualTo(2);
        assertThat(kv.get("a")).isEqualTo("changed");
    }

    @Test
    void aWriterThreadStreamsTheSnapshotWhileApplyContinues() throws Exception {
        for (int i = 0; i < 20_000; i++) {
            kv.apply(set("key" + i, "value" + i));
        }
        StateMachine.Snapshot snapshot = kv.stateMachine.snapshot();
        CompletableFuture<byte[]> written = CompletableFuture.supplyAsync(() -> {
            try {
                return write(snapshot);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (int i = 0; i < 20_000; i++) {
            kv.apply(set("key" + i, "overwritten"));
        }
        KvReadView view = restore(written.get(10, TimeUnit.SECONDS)).readView();
        assertThat(view.size()).isEqualTo(20_000);
        for (int i = 0; i < 20_000; i += 997) {
            assertThat(view.get(b("key" + i))).contains(b("value" + i));
        }
    }

    @Test
    void restoreReplacesTheWholeState() throws IOException {
        kv.apply(set("kept", "1"));
        byte[] snapshot = write(kv.stateMachine.snapshot());
        KvHarness other = new KvHarness();
        other.apply(set("dropped", "x"));
        other.open(99);
        other.stateMachine.restore(new ByteArrayInputStream(snapshot));
        assertThat(other.get("dropped")).isNull();
        assertThat(other.get("kept")).isEqualTo("1");
        assertThat(other.stateMachine.sessionCount()).isZero();
    }

    @Test
    void anEmptyStateRoundTrips() throws IOException {
        KvStateMachine restored = restore(write(new KvStateMachine().snapshot()));
        assertThat(restored.readView().size()).isZero();
    }

    @Test
    void corruptionAnywhereIsRejectedAndTheOldStateStays() throws IOException {
        kv.open(7);
        for (int i = 0; i < 50; i++) {
            kv.apply(set("k" + i, "v" + i));
        }
        byte[] good = write(kv.stateMachine.snapshot());
        KvHarness target = new KvHarness();
        target.apply(set("old", "state"));
        for (int position = 0; position < good.length; position += 7) {
            byte[] flipped = good.clone();
            flipped[position] ^= 0x10;
            assertThatThrownBy(() -> target.stateMachine.restore(new ByteArrayInputStream(flipped)))
                    .as("flip at %d", position).isInstanceOf(IOException.class)
                    .hasMessageContaining("snapshot");
        }
        for (int length = 0; length < good.length; length += 13) {
            byte[] truncated = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> target.stateMachine.restore(new ByteArrayInputStream(truncated)))
                    .as("truncated to %d", length).isInstanceOf(IOException.class);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> target.stateMachine.restore(new ByteArrayInputStream(trailing)))
                .isInstanceOf(IOException.class).hasMessageContaining("trailing");
        assertThat(target.get("old")).isEqualTo("state");
        assertThat(target.stateMachine.readView().size()).isEqualTo(1);
    }

    @Test
    void aHugeDeclaredLengthFailsWithoutAllocatingIt() throws IOException {
        kv.apply(set("k", "v"));
        byte[] good = write(kv.stateMachine.snapshot());
        // Header (4 + 2 + 24) then session count (4) then key count (8): the first key's length follows.
        int keyLengthOffset = 4 + 2 + 24 + 4 + 8;
        byte[] bad = good.clone();
        bad[keyLengthOffset] = 0x7f;
        assertThatThrownBy(() -> restore(bad)).isInstanceOf(IOException.class).hasMessageContaining("out of range");
    }

    @Test
    void notASnapshotAtAll() {
        assertThatThrownBy(() -> restore("hello world, not a snapshot".getBytes()))
                .isInstanceOf(IOException.class).hasMessageContaining("magic");
    }
}
