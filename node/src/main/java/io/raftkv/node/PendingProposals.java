package io.raftkv.node;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proposals this node appended to its log as leader, waiting to be applied. The Raft loop adds
 * them; the apply thread completes them. A proposal at (index, term) succeeded exactly when the
 * entry applied at index has that term; a different entry there means it was certainly lost.
 * Bounded in count and bytes (R-OPS-5).
 */
final class PendingProposals {
    private record Pending(long term, int bytes, long deadlineNanos, CompletableFuture<byte[]> future) {}

    private final Map<Long, Pending> byIndex = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final int maxCount;
    private final long maxBytes;

    PendingProposals(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** True if a proposal of {@code size} bytes fits under the limits. */
    boolean hasRoom(int size) {
        return count.get() < maxCount && bytes.get() + size <= maxBytes;
    }

    void add(long index, long term, int size, long deadlineNanos, CompletableFuture<byte[]> future) {
        byIndex.put(index, new Pending(term, size, deadlineNanos, future));
        count.incrementAndGet();
        bytes.addAndGet(size);
    }

    /** The entry at {@code index} with {@code term} was applied with {@code result} (or rejected). */
    void applied(long index, long term, byte[] result, String rejection) {
        Pending p = remove(index);
        if (p == null) {
            return;
        }
        if (p.term() != term) {
            p.future().completeExceptionally(new RaftNodeException.NotLeader(
                    "leadership changed before the command was committed; it was not applied", null));
        } else if (rejection != null) {
            p.future().completeExceptionally(new RaftNodeException.Rejected(rejection));
        } else {
            p.future().complete(result);
        }
    }

    /** Fails proposals older than their deadline: they may still be applied later. */
    void expire(long nowNanos) {
        Iterator<Map.Entry<Long, Pending>> it = byIndex.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Pending> e = it.next();
            if (nowNanos - e.getValue().deadlineNanos() > 0 && byIndex.remove(e.getKey(), e.getValue())) {
                release(e.getValue());
                e.getValue().future().completeExceptionally(new RaftNodeException.UnknownOutcome(
                        "timed out waiting for the command at index " + e.getKey() + " to be applied"));
            }
        }
    }

    /** Fails every pending proposal; their outcome is unknown. */
    void failAll(RaftNodeException reason) {
        for (Long index : byIndex.keySet()) {
            Pending p = remove(index);
            if (p != null) {
                p.future().completeExceptionally(reason);
            }
        }
    }

    int size() {
        return count.get();
    }

    private Pending remove(long index) {
        Pending p = byIndex.remove(index);
        if (p != null) {
            release(p);
        }
        return p;
    }

    private void release(Pending p) {
        count.decrementAndGet();
        bytes.addAndGet(-p.bytes());
    }
}
