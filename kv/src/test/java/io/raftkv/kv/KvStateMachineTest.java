package io.raftkv.kv;

import static io.raftkv.kv.KvHarness.b;
import static io.raftkv.kv.KvHarness.incr;
import static io.raftkv.kv.KvHarness.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every write command, the deterministic errors, and the read view (R-KV-1, R-KV-2, R-OPS-6). */
class KvStateMachineTest {

    private final KvHarness kv = new KvHarness();

    private static KvResult bulk(String value) {
        return new KvResult.BulkReply(b(value));
    }

    private static KvResult error(String message) {
        return new KvResult.ErrorReply(message);
    }

    @Test
    void setThenGet() {
        assertThat(kv.apply(set("k", "v"))).isEqualTo(KvResult.OK);
        assertThat(kv.get("k")).isEqualTo("v");
        assertThat(kv.apply(set("k", "w"))).isEqualTo(KvResult.OK);
        assertThat(kv.get("k")).isEqualTo("w");
    }

    @Test
    void keysAndValuesAreBinarySafe() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        Bytes key = Bytes.copyOf(all);
        Bytes value = Bytes.copyOf(new byte[] {0, '\r', '\n', (byte) 0xff, 0});
        kv.apply(new KvCommand.Set(key, value, KvCommand.SetCondition.ALWAYS, false));
        assertThat(kv.stateMachine.readView().get(key)).contains(value);
        kv.apply(new KvCommand.Set(Bytes.EMPTY, Bytes.EMPTY, KvCommand.SetCondition.ALWAYS, false));
        assertThat(kv.stateMachine.readView().get(Bytes.EMPTY)).contains(Bytes.EMPTY);
    }

    @Test
    void setConditionsAndGetOption() {
        KvCommand nx = new KvCommand.Set(b("k"), b("1"), KvCommand.SetCondition.IF_ABSENT, false);
        KvCommand xx = new KvCommand.Set(b("k"), b("2"), KvCommand.SetCondition.IF_PRESENT, false);
        assertThat(kv.apply(xx)).isEqualTo(KvResult.NIL);
        assertThat(kv.get("k")).isNull();
        assertThat(kv.apply(nx)).isEqualTo(KvResult.OK);
        assertThat(kv.apply(nx)).isEqualTo(KvResult.NIL);
        assertThat(kv.get("k")).isEqualTo("1");
        assertThat(kv.apply(xx)).isEqualTo(KvResult.OK);
        assertThat(kv.get("k")).isEqualTo("2");
        KvCommand setGet = new KvCommand.Set(b("k"), b("3"), KvCommand.SetCondition.ALWAYS, true);
        assertThat(kv.apply(setGet)).isEqualTo(bulk("2"));
        KvCommand nxGet = new KvCommand.Set(b("k"), b("4"), KvCommand.SetCondition.IF_ABSENT, true);
        assertThat(kv.apply(nxGet)).isEqualTo(bulk("3"));
        assertThat(kv.get("k")).isEqualTo("3");
        KvCommand newGet = new KvCommand.Set(b("n"), b("1"), KvCommand.SetCondition.ALWAYS, true);
        assertThat(kv.apply(newGet)).isEqualTo(KvResult.NIL);
        assertThat(kv.get("n")).isEqualTo("1");
    }

    @Test
    void deleteCountsExistingKeysOnce() {
        kv.apply(set("a", "1"));
        kv.apply(set("b", "2"));
        assertThat(kv.apply(new KvCommand.Delete(List.of(b("a"), b("a"), b("b"), b("c")))))
                .isEqualTo(KvResult.of(2));
        assertThat(kv.stateMachine.readView().size()).isZero();
    }

    @Test
    void incrementByAndItsDeterministicErrors() {
        assertThat(kv.apply(incr("n"))).isEqualTo(KvResult.of(1));
        assertThat(kv.apply(new KvCommand.IncrementBy(b("n"), -11))).isEqualTo(KvResult.of(-10));
        assertThat(kv.get("n")).isEqualTo("-10");
        kv.apply(set("text", "abc"));
        assertThat(kv.apply(incr("text"))).isEqualTo(error(KvErrors.NOT_AN_INTEGER));
        assertThat(kv.get("text")).isEqualTo("abc");
        kv.apply(set("max", Long.toString(Long.MAX_VALUE)));
        assertThat(kv.apply(incr("max"))).isEqualTo(error(KvErrors.INCREMENT_OVERFLOW));
        assertThat(kv.get("max")).isEqualTo(Long.toString(Long.MAX_VALUE));
        kv.apply(set("min", Long.toString(Long.MIN_VALUE)));
        assertThat(kv.apply(new KvCommand.IncrementBy(b("min"), -1))).isEqualTo(error(KvErrors.INCREMENT_OVERFLOW));
        for (String notCanonical : List.of("007", "+1", " 1", "1 ", "-0", "", "1e3", "9223372036854775808")) {
            kv.apply(set("odd", notCanonical));
            assertThat(kv.apply(incr("odd"))).as(notCanonical).isEqualTo(error(KvErrors.NOT_AN_INTEGER));
        }
    }

    @Test
    void appendGrowsUpToTheStampedLimit() {
        assertThat(kv.apply(new KvCommand.Append(b("k"), b("ab"), 5))).isEqualTo(KvResult.of(2));
        assertThat(kv.apply(new KvCommand.Append(b("k"), b("cde"), 5))).isEqualTo(KvResult.of(5));
        assertThat(kv.apply(new KvCommand.Append(b("k"), b("f"), 5))).isEqualTo(error(KvErrors.STRING_TOO_LONG));
        assertThat(kv.get("k")).isEqualTo("abcde");
    }

    @Test
    void multiSetGetSetGetDelete() {
        List<KvCommand.KeyValue> pairs = List.of(new KvCommand.KeyValue(b("a"), b("1")),
                new KvCommand.KeyValue(b("b"), b("2")), new KvCommand.KeyValue(b("a"), b("3")));
        assertThat(kv.apply(new KvCommand.MultiSet(pairs))).isEqualTo(KvResult.OK);
        assertThat(kv.get("a")).isEqualTo("3");
        assertThat(kv.apply(new KvCommand.GetSet(b("a"), b("4")))).isEqualTo(bulk("3"));
        assertThat(kv.apply(new KvCommand.GetSet(b("z"), b("1")))).isEqualTo(KvResult.NIL);
        assertThat(kv.apply(new KvCommand.GetDelete(b("a")))).isEqualTo(bulk("4"));
        assertThat(kv.apply(new KvCommand.GetDelete(b("a")))).isEqualTo(KvResult.NIL);
        assertThat(kv.get("a")).isNull();
    }

    @Test
    void compareAndSetInEveryForm() {
        assertThat(kv.apply(new KvCommand.CompareAndSet(b("lock"), b("x"), b("y")))).isEqualTo(KvResult.of(0));
        assertThat(kv.apply(new KvCommand.CompareAndSet(b("lock"), null, b("owner-1")))).isEqualTo(KvResult.of(1));
        assertThat(kv.apply(new KvCommand.CompareAndSet(b("lock"), null, b("owner-2")))).isEqualTo(KvResult.of(0));
        assertThat(kv.apply(new KvCommand.CompareAndSet(b("lock"), b("owner-2"), b("owner-3")))).isEqualTo(KvResult.of(0));
        assertThat(kv.apply(new KvCommand.CompareAndSet(b("lock"), b("owner-1"), b("owner-2")))).isEqualTo(KvResult.of(1));
        assertThat(kv.get("lock")).isEqualTo("owner-2");
        assertThat(kv.apply(new KvCommand.CompareAndSet(b("lock"), b("owner-1"), null))).isEqualTo(KvResult.of(0));
        assertThat(kv.apply(new KvCommand.CompareAndSet(b("lock"), b("owner-2"), null))).isEqualTo(KvResult.of(1));
        assertThat(kv.get("lock")).isNull();
        assertThatThrownBy(() -> new KvCommand.CompareAndSet(b("k"), null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedEntriesAreDeterministicErrorsAndChangeNothing() {
        kv.apply(set("k", "v"));
        byte[] good = KvProposalCodec.encode(KvProposal.withoutSession(set("k", "w"), 1));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        KvResult result = kv.applyRaw(truncated);
        assertThat(result.isError()).isTrue();
        assertThat(((KvResult.ErrorReply) result).message()).startsWith(KvErrors.MALFORMED_PREFIX);
        assertThat(kv.applyRaw(new byte[0]).isError()).isTrue();
        assertThat(kv.get("k")).isEqualTo("v");
    }

    @Test
    void unknownFormatVersionStopsTheNode() {
        byte[] entry = KvProposalCodec.encode(KvProposal.withoutSession(set("k", "v"), 1));
        entry[0] = 2;
        assertThatThrownBy(() -> kv.applyRaw(entry)).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("upgrade");
    }

    @Test
    void readViewServesMultiKeyReads() {
        kv.apply(set("a", "1"));
        kv.apply(set("bb", "22"));
        KvReadView view = kv.stateMachine.readView();
        assertThat(view.multiGet(List.of(b("a"), b("x"), b("bb"))))
                .containsExactly(Optional.of(b("1")), Optional.empty(), Optional.of(b("22")));
        assertThat(view.countExisting(List.of(b("a"), b("a"), b("x")))).isEqualTo(2);
        assertThat(view.valueLength(b("bb"))).isEqualTo(2);
        assertThat(view.valueLength(b("x"))).isZero();
        assertThat(view.size()).isEqualTo(2);
        assertThat(view.appliedIndex()).isEqualTo(2);
    }

    @Test
    void keysMatchesGlobPatterns() {
        for (String key : List.of("user:1", "user:2", "user:10", "order:1", "u")) {
            kv.apply(set(key, "x"));
        }
        KvReadView view = kv.stateMachine.readView();
        assertThat(view.keys(GlobPattern.compile(b("user:?"))).stream().map(Bytes::toStringUtf8))
                .containsExactlyInAnyOrder("user:1", "user:2");
        assertThat(view.keys(GlobPattern.compile(b("*:1")))).hasSize(2);
        assertThat(view.keys(GlobPattern.ANY)).hasSize(5);
    }

    @Test
    void scanVisitsEveryKeyExactlyOnce() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            kv.apply(set("key" + i, "v"));
            expected.add("key" + i);
        }
        KvReadView view = kv.stateMachine.readView();
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        int pages = 0;
        do {
            ScanPage page = view.scan(cursor, GlobPattern.ANY, 37);
            page.keys().forEach(key -> seen.add(key.toStringUtf8()));
            cursor = page.cursor();
            pages++;
        } while (cursor != 0);
        assertThat(seen).hasSize(1000);
        assertThat(new HashSet<>(seen)).isEqualTo(expected);
        assertThat(pages).isGreaterThan(10);
    }

    @Test
    void scanReturnsKeysPresentThroughoutDespiteConcurrentWrites() {
        for (int i = 0; i < 500; i++) {
            kv.apply(set("stable" + i, "v"));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int round = 0;
        do {
            ScanPage page = kv.stateMachine.readView().scan(cursor, GlobPattern.compile(b("stable*")), 20);
            page.keys().forEach(key -> seen.add(key.toStringUtf8()));
            cursor = page.cursor();
            kv.apply(set("churn" + round, "v"));
            kv.apply(new KvCommand.Delete(List.of(b("churn" + (round - 1)))));
            round++;
        } while (cursor != 0);
        assertThat(seen).hasSize(500);
    }

    @Test
    void readersOnOtherThreadsSeeConsistentVersions() throws InterruptedException {
        // Each command sets both keys to the same value; a torn read would see them differ.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                List<Optional<Bytes>> values = kv.stateMachine.readView().multiGet(List.of(b("x"), b("y")));
                if (!values.get(0).equals(values.get(1))) {
                    torn.set(values.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 20_000; i++) {
            String value = Integer.toString(i);
            kv.apply(new KvCommand.MultiSet(List.of(new KvCommand.KeyValue(b("x"), b(value)),
                    new KvCommand.KeyValue(b("y"), b(value)))));
        }
        stop.set(true);
        reader.join();
        assertThat(torn.get()).isNull();
    }

    @Test
    void replicasFedTheSameLogAgree() throws Exception {
        KvHarness first = new KvHarness();
        KvHarness second = new KvHarness();
        java.util.Random random = new java.util.Random(42);
        List<KvResult> firstResults = new ArrayList<>();
        List<KvResult> secondResults = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String key = "k" + random.nextInt(50);
            KvCommand command = switch (random.nextInt(5)) {
                case 0 -> set(key, Integer.toString(random.nextInt(100)));
                case 1 -> incr(key);
                case 2 -> new KvCommand.Append(b(key), b("x"), 40);
                case 3 -> new KvCommand.Delete(List.of(b(key)));
                default -> new KvCommand.CompareAndSet(b(key), null, b("1"));
            };
            firstResults.add(first.apply(command));
            secondResults.add(second.apply(command));
        }
        assertThat(firstResults).isEqualTo(secondResults);
        java.io.ByteArrayOutputStream a = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream c = new java.io.ByteArrayOutputStream();
        first.stateMachine.snapshot().writeTo(a);
        second.stateMachine.snapshot().writeTo(c);
        assertThat(a.toByteArray()).isEqualTo(c.toByteArray());
    }
}
