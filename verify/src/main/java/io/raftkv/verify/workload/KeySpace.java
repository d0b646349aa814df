package io.raftkv.verify.workload;

import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The keys a workload works on: a few active keys at a time, each retired after a fixed number of
 * operations and replaced by a fresh one. Concurrent operations on few keys are what exposes
 * ordering bugs; bounding each key's history keeps the linearizability search (exponential in the
 * worst case) and the size of list reads small however long the run is, as Jepsen's independent
 * keys do.
 */
public final class KeySpace {
    private final String prefix;
    private final int opsPerKey;
    private final AtomicReferenceArray<String> active;
    private final ConcurrentHashMap<String, AtomicInteger> uses = new ConcurrentHashMap<>();
    private final AtomicInteger nextKey = new AtomicInteger();

    /**
     * @param prefix     key prefix, e.g. {@code r/}
     * @param activeKeys how many keys are in use at once
     * @param opsPerKey  operations after which a key is retired (0: never)
     */
    public KeySpace(String prefix, int activeKeys, int opsPerKey) {
        if (activeKeys < 1) {
            throw new IllegalArgumentException("need at least one active key");
        }
        this.prefix = prefix;
        this.opsPerKey = opsPerKey;
        this.active = new AtomicReferenceArray<>(activeKeys);
        for (int i = 0; i < activeKeys; i++) {
            active.set(i, prefix + nextKey.getAndIncrement());
        }
    }

    /** A key for the next operation; counts the operation against it. */
    public String next(Random random) {
        int slot = random.nextInt(active.length());
        String key = active.get(slot);
        int count = uses.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (opsPerKey > 0 && count == opsPerKey) {
            active.compareAndSet(slot, key, prefix + nextKey.getAndIncrement());
        }
        return key;
    }
}
