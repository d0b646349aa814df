package io.raftkv.storage.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic snapshot contents: {@code length} bytes derived from a seed, produced and checked a
 * block at a time, so tests stream snapshots of any size without holding them in memory.
 */
final class SeededData {
    private static final int BLOCK_BYTES = 64 * 1024;

    private SeededData() {
    }

    static void write(OutputStream out, long seed, long length) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[BLOCK_BYTES];
        for (long written = 0; written < length; written += BLOCK_BYTES) {
            random.nextBytes(block);
            out.write(block, 0, (int) Math.min(BLOCK_BYTES, length - written));
        }
    }

    /** Reads {@code in} to its end and fails unless it holds exactly the seeded bytes. */
    static void assertMatches(InputStream in, long seed, long length) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] expected = new byte[BLOCK_BYTES];
        byte[] actual = new byte[BLOCK_BYTES];
        for (long read = 0; read < length; read += BLOCK_BYTES) {
            random.nextBytes(expected);
            int n = (int) Math.min(BLOCK_BYTES, length - read);
            int got = in.readNBytes(actual, 0, n);
            if (got != n) {
                fail("stream ended at " + (read + got) + " of " + length + " bytes");
            }
            int mismatch = Arrays.mismatch(expected, 0, n, actual, 0, n);
            if (mismatch >= 0) {
                fail("content differs at byte " + (read + mismatch) + " (seed " + seed + ")");
            }
        }
        assertThat(in.read()).as("end of stream after %d bytes", length).isEqualTo(-1);
    }
}
