package io.raftkv.lincheck;

import java.util.Objects;

/**
 * Ready-made {@link Model}s of a single register holding any value with value equality (the
 * classic compare-and-set register of the Jepsen etcd tests checked by Knossos and Porcupine).
 * Inputs are {@link RegisterInput}s; the state is the register's value.
 */
public final class RegisterModels {

    private RegisterModels() {
    }

    /**
     * A read/write/compare-and-set register, initially {@code null}.
     *
     * @return the model
     */
    public static Model<Object> casRegister() {
        return casRegister(null);
    }

    /**
     * A read/write/compare-and-set register with a given initial value.
     *
     * @param initial the initial value (may be null)
     * @return the model
     */
    public static Model<Object> casRegister(Object initial) {
        return new CasRegister(initial);
    }

    private record CasRegister(Object initial) implements Model<Object> {

        @Override
        public Object init() {
            return initial;
        }

        @Override
        public StepResult<Object> step(Object state, Object input, Object output) {
            RegisterInput in = (RegisterInput) input;
            boolean unknown = UnknownOutput.is(output);
            return switch (in.kind()) {
                case READ -> StepResult.when(unknown || Objects.equals(output, state), state);
                case WRITE -> StepResult.ok(in.value());
                case CAS -> {
                    boolean swaps = Objects.equals(state, in.expected());
                    yield StepResult.when(unknown || Boolean.valueOf(swaps).equals(output),
                            swaps ? in.value() : state);
                }
            };
        }

        @Override
        public boolean isReadOnly(Object input, Object output) {
            RegisterInput in = (RegisterInput) input;
            return in.kind() == RegisterInput.Kind.READ
                    || (in.kind() == RegisterInput.Kind.CAS && Boolean.FALSE.equals(output));
        }

        @Override
        public String describe(Object input, Object output) {
            RegisterInput in = (RegisterInput) input;
            return in.kind() == RegisterInput.Kind.WRITE && !UnknownOutput.is(output)
                    ? in.toString() : in + " -> " + output;
        }
    }
}
