package io.raftkv.lincheck;

/**
 * The answer of {@link LinearizabilityChecker} for a history or one of its partitions. The search
 * (Wing &amp; Gong 1993, Lowe 2017) is exact, so OK and ILLEGAL are definite; UNKNOWN only means
 * the search did not finish (the time budget ran out, as with Porcupine's timeout, or, for one
 * partition, its search was abandoned because another partition had already been found illegal).
 */
public enum Verdict {
    /** The history is linearizable. */
    OK,
    /** The history is not linearizable: no order of its operations is allowed by the model. */
    ILLEGAL,
    /** The search did not finish (timeout, or abandoned); nothing is known. */
    UNKNOWN
}
