package io.raftkv.cli;

import java.time.Duration;

/** Durations on the command line: a number with a unit, {@code 250ms}, {@code 90s}, {@code 10m}, {@code 2h}. */
final class Durations {
    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text   e.g. {@code 90s}
     * @param option the option it came from, for the error message
     * @throws IllegalArgumentException naming the option and the accepted forms
     */
    static Duration parse(String text, String option) {
        String value = text.trim();
        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split))) {
            split++;
        }
        if (split == 0 || split > 12) {
            throw bad(text, option);
        }
        long amount = Long.parseLong(value.substring(0, split));
        return switch (value.substring(split)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw bad(text, option);
        };
    }

    private static IllegalArgumentException bad(String text, String option) {
        return new IllegalArgumentException(option + " must be a number with a unit (ms, s, m, h), e.g. 90s, not '"
                + text + "'");
    }
}
