package io.raftkv.lincheck;

import java.util.List;
import java.util.Objects;

/**
 * Ready-made {@link Model}s of a key-value map of strings, partitioned by key (sound by
 * Horn &amp; Kroening's P-compositionality: keys are independent objects, as in Porcupine's kv
 * example). Inputs are {@link KvInput}s; the state of a partition is the key's current value.
 *
 * <p>Both models support GET, PUT, APPEND and CAS; they differ in how an absent key reads:
 * <ul>
 *   <li>{@link #kv()}: an absent key reads as {@code ""} (the convention of the Porcupine /
 *       Jepsen kv histories); appending to it yields the appended string;</li>
 *   <li>{@link #casKv()}: an absent key reads as {@code null}, and a CAS whose expected value
 *       is {@code null} succeeds only on an absent key (the Raft simulator's KV workload).</li>
 * </ul>
 */
public final class KvModels {

    private KvModels() {
    }

    /**
     * The get/put/append map where absent keys read as {@code ""}.
     *
     * @return the model
     */
    public static Model<String> kv() {
        return new KvModel("");
    }

    /**
     * The get/put/compare-and-set map where absent keys read as {@code null}.
     *
     * @return the model
     */
    public static Model<String> casKv() {
        return new KvModel(null);
    }

    /** One key's sequential specification; {@code absent} is the value of a missing key. */
    private record KvModel(String absent) implements Model<String> {

        @Override
        public String init() {
            return absent;
        }

        @Override
        public StepResult<String> step(String state, Object input, Object output) {
            KvInput in = (KvInput) input;
            boolean unknown = UnknownOutput.is(output);
            return switch (in.kind()) {
                case GET -> StepResult.when(unknown || Objects.equals(output, state), state);
                case PUT -> StepResult.ok(in.value());
                case APPEND -> StepResult.ok(state == null ? in.value() : state + in.value());
                case CAS -> {
                    boolean swaps = Objects.equals(state, in.expected());
                    yield StepResult.when(unknown || Boolean.valueOf(swaps).equals(output),
                            swaps ? in.value() : state);
                }
            };
        }

        @Override
        public boolean isReadOnly(Object input, Object output) {
            KvInput in = (KvInput) input;
            return in.kind() == KvInput.Kind.GET
                    || (in.kind() == KvInput.Kind.CAS && Boolean.FALSE.equals(output));
        }

        @Override
        public List<Partition> partition(List<Operation> history) {
            return Partition.groupBy(history, op -> "key=" + ((KvInput) op.input()).key());
        }

        @Override
        public String describe(Object input, Object output) {
            KvInput in = (KvInput) input;
            boolean silent = (in.kind() == KvInput.Kind.PUT || in.kind() == KvInput.Kind.APPEND)
                    && !UnknownOutput.is(output);
            return silent ? in.toString() : in + " -> " + KvInput.quote(output);
        }

        @Override
        public String describeState(String state) {
            return KvInput.quote(state);
        }
    }
}
