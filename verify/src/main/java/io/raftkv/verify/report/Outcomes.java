package io.raftkv.verify.report;

import io.raftkv.verify.history.Outcome;

/** The colour of each outcome, the same in every chart and table. */
final class Outcomes {

    private Outcomes() {
    }

    static String colour(Outcome outcome) {
        return switch (outcome) {
            case OK -> "#2ca02c";
            case FAIL -> "#d62728";
            case UNKNOWN -> "#ff7f0e";
        };
    }
}
