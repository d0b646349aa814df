package io.raftkv.lincheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Large histories generated from a sequential execution: each operation takes effect at its own
 * instant and gets a random interval around it, so the history is linearizable by construction.
 */
class LargeHistoryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void tenThousandOperationsOverTwentyKeysCheckQuickly() {
        List<Operation> history = kvHistory(new Random(7), 10_000, 20);

        CheckResult result = LinearizabilityChecker.check(KvModels.casKv(), history, TIMEOUT);

        assertThat(result.verdict()).as(result.explain()).isEqualTo(Verdict.OK);
        assertThat(result.partitions()).hasSize(20);
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void corruptingOneReadOfALargeHistoryIsDetected() {
        List<Operation> history = new ArrayList<>(kvHistory(new Random(8), 10_000, 20));
        int victim = -1;
        for (int i = history.size() / 2; victim < 0; i++) {
            Operation o = history.get(i);
            if (!o.isUnknown() && ((KvInput) o.input()).kind() == KvInput.Kind.GET) {
                victim = i;
            }
        }
        Operation o = history.get(victim);
        history.set(victim, Operation.completed(o.clientId(), o.input(), "never-written",
                o.callTime(), o.returnTime()));

        CheckResult result = LinearizabilityChecker.check(KvModels.casKv(), history, TIMEOUT);

        assertThat(result.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.partition()).isEqualTo("key=" + ((KvInput) o.input()).key());
            assertThat(f.candidates()).extracting(Operation::output).contains("never-written");
        });
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void tenThousandOperationsOnOneRegisterNeedNoRecursion() {
        Random random = new Random(9);
        List<Operation> history = new ArrayList<>();
        Integer value = null;
        for (int i = 0; i < 10_000; i++) {
            long at = 10L * i;
            long call = at - random.nextInt(30);
            long ret = at + random.nextInt(30);
            RegisterInput input;
            Object output;
            switch (random.nextInt(3)) {
                case 0 -> {
                    input = RegisterInput.read();
                    output = value;
                }
                case 1 -> {
                    input = RegisterInput.write(random.nextInt(5));
                    output = null;
                    value = (Integer) input.value();
                }
                default -> {
                    Integer expected = random.nextInt(5);
                    input = RegisterInput.cas(expected, random.nextInt(5));
                    output = expected.equals(value);
                    if (expected.equals(value)) {
                        value = (Integer) input.value();
                    }
                }
            }
            history.add(Operation.completed(i % 7, input, output, call, ret));
        }

        CheckResult result = LinearizabilityChecker.check(RegisterModels.casRegister(), history,
                TIMEOUT);

        assertThat(result.verdict()).as(result.explain()).isEqualTo(Verdict.OK);
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(3));
    }

    /**
     * A linearizable get/put/cas history: operation i takes effect at time 100*i, is invoked up
     * to 2,000 ticks earlier and returns up to 2,000 ticks later (about 40 operations overlap
     * each one). About 1% of the operations have an unknown outcome: half of those took
     * effect, half never did.
     */
    static List<Operation> kvHistory(Random random, int size, int keys) {
        Map<String, String> map = new HashMap<>();
        List<Operation> history = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String key = "k" + random.nextInt(keys);
            String current = map.get(key);
            long at = 100L * i;
            long call = at - random.nextInt(2_000);
            long ret = at + random.nextInt(2_000);
            boolean unknown = random.nextInt(100) == 0;
            boolean happened = !unknown || random.nextBoolean();
            KvInput input;
            Object output;
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> {
                    input = KvInput.get(key);
                    output = current;
                }
                case 4, 5, 6 -> {
                    input = KvInput.put(key, "v" + i);
                    output = null;
                    if (happened) {
                        map.put(key, input.value());
                    }
                }
                default -> {
                    String expected = random.nextBoolean() ? current : "v" + random.nextInt(i + 1);
                    input = KvInput.cas(key, expected, "v" + i);
                    boolean swaps = java.util.Objects.equals(current, expected);
                    output = swaps;
                    if (swaps && happened) {
                        map.put(key, input.value());
                    }
                }
            }
            history.add(unknown ? Operation.unknown(i % 50, input, call)
                    : Operation.completed(i % 50, input, output, call, ret));
        }
        return history;
    }
}
