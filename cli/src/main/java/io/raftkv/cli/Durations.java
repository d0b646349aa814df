package io.raftkv.cli;

import io.raftkv.loadgen.DurationConverter;
import java.time.Duration;

/** Durations on the command line ({@link DurationConverter}'s forms), with errors naming the option. */
final class Durations {
    private Durations() {
    }

    /**
     * Parses a duration such as {@code 90s}.
     *
     * @param option the option it came from, for the error message
     * @throws IllegalArgumentException naming the option and the accepted forms
     */
    static Duration parse(String text, String option) {
        try {
            return DurationConverter.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
