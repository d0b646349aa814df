package io.raftkv.loadgen;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Durations on the command line: a number with a unit, {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    public static Duration parse(String text) {
        String value = text.trim();
        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split))) {
            split++;
        }
        if (split == 0 || split > 12) {
            throw bad(text);
        }
        long amount = Long.parseLong(value.substring(0, split));
        return switch (value.substring(split)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw bad(text);
        };
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("a duration is a number with a unit (ms, s, m, h), e.g. 10s, not '"
                + text + "'");
    }
}
