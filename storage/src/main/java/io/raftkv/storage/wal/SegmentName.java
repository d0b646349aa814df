package io.raftkv.storage.wal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity of a segment file, encoded in its name as {@code <seq>-<firstIndex>.wal}, both
 * 20-digit zero-padded decimals so that names sort like numbers.
 *
 * <p>The sequence number orders segments; the first index is the index the segment's first
 * entry record was to have when it was created. The first index alone cannot order segments: after
 * the conflicting suffix of the log is replaced (paper §5.3), a newer segment may start at a lower
 * index than an older one that now holds only replaced entries.
 *
 * @param seq        position among all segments ever created in this directory, from 1
 * @param firstIndex lastIndex + 1 of the log when the segment was created, >= 1
 */
record SegmentName(long seq, long firstIndex) implements Comparable<SegmentName> {
    /** Suffix of every segment file. */
    static final String SUFFIX = ".wal";
    private static final Pattern PATTERN = Pattern.compile("(\\d{20})-(\\d{20})\\.wal");

    SegmentName {
        if (seq < 1 || firstIndex < 1) {
            throw new IllegalArgumentException("segment sequence and first index must be >= 1: " + seq + ", "
                    + firstIndex);
        }
    }

    /** The file name of this segment. */
    String fileName() {
        return String.format("%020d-%020d%s", seq, firstIndex, SUFFIX);
    }

    /** The segment a file name denotes, or empty if the name is not a segment's. */
    static Optional<SegmentName> parse(String fileName) {
        Matcher m = PATTERN.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SegmentName(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        } catch (IllegalArgumentException e) { // NumberFormatException (overflow) or a zero field
            return Optional.empty();
        }
    }

    @Override
    public int compareTo(SegmentName other) {
        return Long.compare(seq, other.seq);
    }

    @Override
    public String toString() {
        return fileName();
    }
}
