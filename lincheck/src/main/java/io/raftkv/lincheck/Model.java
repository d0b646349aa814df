package io.raftkv.lincheck;

import java.util.List;

/**
 * A sequential specification of a concurrent object, against which histories are checked (the
 * "sequential specification" of Wing &amp; Gong 1993 and Lowe 2017; Porcupine's {@code Model}).
 *
 * <p><b>States</b> must be immutable values with {@code equals} and {@code hashCode} (records,
 * strings, boxed numbers, or {@code null}): the checker memoizes (linearized set, state) pairs.
 *
 * <p><b>Unknown outputs.</b> For an operation whose result was not observed the checker passes
 * {@link UnknownOutput#INSTANCE} as the output; {@link #step} must then accept the operation
 * whatever its output would have been and return the state it would leave behind.
 *
 * @param <S> the state type
 */
public interface Model<S> {

    /**
     * The state before any operation.
     *
     * @return the initial state
     */
    S init();

    /**
     * Applies one operation to a state.
     *
     * @param state  the current state
     * @param input  the operation's input
     * @param output the observed output, or {@link UnknownOutput#INSTANCE} if not observed
     * @return whether the output is possible from {@code state}, and the next state
     */
    StepResult<S> step(S state, Object input, Object output);

    /**
     * Tells whether an operation never changes the state: in every state where
     * {@code step(state, input, output)} is legal it returns {@code state} itself (a read, a
     * compare-and-set that reported failure). The checker then commits to linearizing such an
     * operation as soon as it is legal instead of trying it at every possible position, which
     * speeds up read-heavy histories. Answering {@code true} for an operation that can change the
     * state makes the checker unsound; the default {@code false} is always safe.
     *
     * @param input  the operation's input
     * @param output its output ({@link UnknownOutput#INSTANCE} if unknown)
     * @return {@code true} only if the operation is read-only in the sense above
     */
    default boolean isReadOnly(Object input, Object output) {
        return false;
    }

    /**
     * Splits a history into sub-histories that can be checked independently. The default keeps
     * the whole history as one partition named {@code all}.
     *
     * @param history the full history
     * @return the partitions; together they must contain every operation exactly once
     */
    default List<Partition> partition(List<Operation> history) {
        return List.of(new Partition("all", history));
    }

    /**
     * Renders an operation for reports.
     *
     * @param input  the operation's input
     * @param output its output ({@link UnknownOutput#INSTANCE} if unknown)
     * @return a short readable description, e.g. {@code get(x) -> "1"}
     */
    default String describe(Object input, Object output) {
        return input + " -> " + output;
    }

    /**
     * Renders a state for reports.
     *
     * @param state a state
     * @return a short readable description
     */
    default String describeState(S state) {
        return String.valueOf(state);
    }
}
