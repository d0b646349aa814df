package io.raftkv.loadgen;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keys {@code <prefix><number>}, the number zero-padded to ten digits so that every key has the same
 * size; drawn uniformly. Keys are built on demand: a large key space costs no memory.
 */
final class KeySpace {
    private static final int DIGITS = 10;
    private final byte[] prefix;
    private final long keys;

    KeySpace(String prefix, long keys) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.keys = keys;
    }

    long size() {
        return keys;
    }

    byte[] key(long number) {
        byte[] key = new byte[prefix.length + DIGITS];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        long rest = number;
        for (int i = key.length - 1; i >= prefix.length; i--) {
            key[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return key;
    }

    byte[] randomKey() {
        return key(ThreadLocalRandom.current().nextLong(keys));
    }
}
