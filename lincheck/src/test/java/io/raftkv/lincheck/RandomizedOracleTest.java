package io.raftkv.lincheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker agrees with a brute-force oracle on many small random histories, including
 * touching intervals (times are small integers, so ties are frequent) and unknown operations.
 */
class RandomizedOracleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void agreesWithBruteForceOnRandomRegisterHistories() {
        Random random = new Random(42);
        Model<Object> model = RegisterModels.casRegister(0);
        int linearizable = 0;
        int rounds = 20_000;
        for (int round = 0; round < rounds; round++) {
            List<Operation> history = randomRegisterHistory(random, 1 + random.nextInt(7));
            linearizable += assertAgrees(model, history, round) ? 1 : 0;
        }
        // Both verdicts must be well represented for the comparison to mean something.
        assertThat(linearizable).isBetween(rounds / 10, rounds * 9 / 10);
    }

    @Test
    void agreesWithBruteForceOnRandomKvHistories() {
        Random random = new Random(43);
        int linearizable = 0;
        int rounds = 10_000;
        for (int round = 0; round < rounds; round++) {
            boolean withAppend = random.nextBoolean();
            Model<String> model = withAppend ? KvModels.kv() : KvModels.casKv();
            List<Operation> history = randomKvHistory(random, 1 + random.nextInt(7), withAppend);
            // The oracle sees the whole history as one object: this also checks partitioning.
            Model<List<Object>> unpartitioned = new Unpartitioned<>(model);
            boolean expected = BruteForceChecker.isLinearizable(unpartitioned, history);
            assertThat(LinearizabilityChecker.check(model, history, TIMEOUT).verdict())
                    .as("round %d: %s", round, history)
                    .isEqualTo(expected ? Verdict.OK : Verdict.ILLEGAL);
            linearizable += expected ? 1 : 0;
        }
        assertThat(linearizable).isBetween(rounds / 10, rounds * 9 / 10);
    }

    private static <S> boolean assertAgrees(Model<S> model, List<Operation> history, int round) {
        boolean expected = BruteForceChecker.isLinearizable(model, history);
        CheckResult result = LinearizabilityChecker.check(model, history, TIMEOUT);
        assertThat(result.verdict()).as("round %d: %s%n%s", round, history, result.explain())
                .isEqualTo(expected ? Verdict.OK : Verdict.ILLEGAL);
        return expected;
    }

    private static List<Operation> randomRegisterHistory(Random random, int size) {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long call = random.nextInt(12);
            long ret = call + random.nextInt(6);
            RegisterInput input = switch (random.nextInt(3)) {
                case 0 -> RegisterInput.read();
                case 1 -> RegisterInput.write(random.nextInt(3));
                default -> RegisterInput.cas(random.nextInt(3), random.nextInt(3));
            };
            Object output = switch (input.kind()) {
                case READ -> random.nextInt(3);
                case WRITE -> null;
                case CAS -> random.nextBoolean();
            };
            ops.add(random.nextInt(6) == 0
                    ? Operation.unknown(i, input, call)
                    : Operation.completed(i, input, output, call, ret));
        }
        return ops;
    }

    private static List<Operation> randomKvHistory(Random random, int size, boolean withAppend) {
        String[] values = {"a", "b"};
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long call = random.nextInt(12);
            long ret = call + random.nextInt(6);
            String key = random.nextBoolean() ? "x" : "y";
            String v = values[random.nextInt(2)];
            KvInput input = switch (random.nextInt(3)) {
                case 0 -> KvInput.get(key);
                case 1 -> withAppend ? KvInput.append(key, v) : KvInput.put(key, v);
                default -> withAppend ? KvInput.put(key, v)
                        : KvInput.cas(key, random.nextBoolean() ? null : values[random.nextInt(2)], v);
            };
            Object output = switch (input.kind()) {
                case GET -> withAppend
                        ? new String[] {"", "a", "b", "ab", "ba"}[random.nextInt(5)]
                        : new String[] {null, "a", "b"}[random.nextInt(3)];
                case CAS -> random.nextBoolean();
                default -> null;
            };
            ops.add(random.nextInt(6) == 0
                    ? Operation.unknown(i, input, call)
                    : Operation.completed(i, input, output, call, ret));
        }
        return ops;
    }

    /** A map of per-key states driven by a per-key model, as one unpartitioned object. */
    private record Unpartitioned<S>(Model<S> perKey) implements Model<List<Object>> {

        private static final List<String> KEYS = List.of("x", "y");

        @Override
        public List<Object> init() {
            List<Object> states = new ArrayList<>();
            KEYS.forEach(k -> states.add(perKey.init()));
            return states;
        }

        @Override
        @SuppressWarnings("unchecked")
        public StepResult<List<Object>> step(List<Object> state, Object input, Object output) {
            int k = KEYS.indexOf(((KvInput) input).key());
            StepResult<S> r = perKey.step((S) state.get(k), input, output);
            if (!r.legal()) {
                return StepResult.illegal();
            }
            List<Object> next = new ArrayList<>(state);
            next.set(k, r.state());
            return StepResult.ok(next);
        }
    }
}
