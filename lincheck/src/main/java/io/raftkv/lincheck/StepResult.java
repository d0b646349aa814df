package io.raftkv.lincheck;

/**
 * The outcome of applying one operation to a sequential {@link Model}: whether the observed
 * output is possible in the given state and, if so, the state afterwards (the "step" function
 * of a sequential specification, as used by Wing &amp; Gong 1993, Lowe 2017 and Porcupine).
 *
 * @param legal {@code true} if the operation with its output is allowed in the state
 * @param state the state after the operation (meaningful only when {@code legal}); may be null
 * @param <S>   model state type
 */
public record StepResult<S>(boolean legal, S state) {

    private static final StepResult<Object> ILLEGAL = new StepResult<>(false, null);

    /**
     * A legal step.
     *
     * @param next state after the operation
     * @param <S>  model state type
     * @return a legal result carrying {@code next}
     */
    public static <S> StepResult<S> ok(S next) {
        return new StepResult<>(true, next);
    }

    /**
     * An illegal step: the output cannot be produced from the state.
     *
     * @param <S> model state type
     * @return the shared illegal result
     */
    @SuppressWarnings("unchecked")
    public static <S> StepResult<S> illegal() {
        return (StepResult<S>) ILLEGAL;
    }

    /**
     * A step that is legal iff {@code condition} holds.
     *
     * @param condition whether the step is legal
     * @param next      state after the operation if legal
     * @param <S>       model state type
     * @return {@link #ok(Object)} or {@link #illegal()}
     */
    public static <S> StepResult<S> when(boolean condition, S next) {
        return condition ? ok(next) : illegal();
    }
}
