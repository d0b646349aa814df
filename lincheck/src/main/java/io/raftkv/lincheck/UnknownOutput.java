package io.raftkv.lincheck;

/**
 * The output passed to {@link Model#step} for an operation whose result was never observed, for
 * example a request that timed out or whose client crashed (see {@link Operation#unknown}).
 *
 * <p>A model receiving {@link #INSTANCE} as the output must accept every output the operation
 * could have produced from the given state, and return the state the operation would leave
 * behind. {@code null} is deliberately not used for this purpose because {@code null} is a
 * legitimate output of many operations (reading an empty register, getting an absent key).
 * Part of the checker described in the package documentation (Wing &amp; Gong 1993; Lowe 2017;
 * Porcupine's "unknown" outputs).
 */
public enum UnknownOutput {
    /** The single "any output" marker. */
    INSTANCE;

    /**
     * Tells whether an output is the unknown-output marker.
     *
     * @param output an operation output, possibly {@code null}
     * @return {@code true} if {@code output} is {@link #INSTANCE}
     */
    public static boolean is(Object output) {
        return output == INSTANCE;
    }

    @Override
    public String toString() {
        return "?";
    }
}
