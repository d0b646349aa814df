package io.raftkv.kv;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Strict conversion between 64-bit integers and their decimal byte strings, with exactly the
 * rules of Redis's {@code string2ll}: an optional minus sign, digits, no leading zeros (except
 * "0" itself), no plus sign, no spaces, at most 20 bytes, and within the range of a long.
 * INCR on "007" or " 1" fails on Redis and must fail identically here.
 */
public final class Decimal {

    private static final int DIGITS_MAX = 20;

    private Decimal() {
    }

    /** The value of {@code text}, or empty if it is not a canonical decimal long. */
    public static OptionalLong parseLong(Bytes text) {
        int length = text.length();
        if (length == 0 || length > DIGITS_MAX) {
            return OptionalLong.empty();
        }
        if (length == 1 && text.byteAt(0) == '0') {
            return OptionalLong.of(0);
        }
        boolean negative = text.byteAt(0) == '-';
        int i = negative ? 1 : 0;
        if (i >= length || text.byteAt(i) < '1' || text.byteAt(i) > '9') {
            return OptionalLong.empty();
        }
        // Accumulate as a negative number: its range is one larger, so MIN_VALUE parses.
        long value = 0;
        for (; i < length; i++) {
            int digit = text.byteAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return OptionalLong.empty();
            }
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return OptionalLong.empty();
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return OptionalLong.empty();
            }
            value = -value;
        }
        return OptionalLong.of(value);
    }

    /** The canonical decimal form of {@code value}. */
    public static Bytes format(long value) {
        return Bytes.wrapOwned(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }
}
