package io.raftkv.verify.check;

import java.util.Collection;

/**
 * What a checker concluded about a history. Combining answers keeps the worst one: a single
 * proven violation makes the whole run invalid, whereas an inconclusive part (a search that timed
 * out, a final read that failed) only stops the run from being declared valid.
 */
public enum Validity {
    /** Every rule held. */
    VALID,
    /** Some rule was broken; the history proves the system misbehaved. */
    INVALID,
    /** Nothing was proven broken, but something could not be checked. */
    UNKNOWN;

    /**
     * The combined answer: INVALID wins over UNKNOWN, which wins over VALID.
     *
     * @param a one answer
     * @param b another
     * @return the worse of the two
     */
    public static Validity combine(Validity a, Validity b) {
        if (a == INVALID || b == INVALID) {
            return INVALID;
        }
        if (a == UNKNOWN || b == UNKNOWN) {
            return UNKNOWN;
        }
        return VALID;
    }

    /**
     * The combined answer of many, VALID for none.
     *
     * @param validities the answers
     * @return the worst of them
     */
    public static Validity combine(Collection<Validity> validities) {
        Validity result = VALID;
        for (Validity v : validities) {
            result = combine(result, v);
        }
        return result;
    }
}
