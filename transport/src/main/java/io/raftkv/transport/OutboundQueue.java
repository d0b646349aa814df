package io.raftkv.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A FIFO of messages waiting for one outbound connection, bounded in count and in bytes (R-OPS-5):
 * an offer beyond either bound is refused, never waited on, so the Raft loop that sends is never
 * blocked and memory held for a slow peer stays bounded. The lock is held only to move references,
 * never during I/O.
 */
final class OutboundQueue {
    /** A queued message and its frame size, computed once at send time. */
    record Entry(PeerMessage message, long frameBytes) {}

    private final int maxMessages;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;

    OutboundQueue(int maxMessages, long maxBytes) {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be >= 1: " + maxMessages + " messages, "
                    + maxBytes + " bytes");
        }
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Appends the message unless that would exceed a bound; returns whether it was appended. */
    boolean offer(PeerMessage message, long frameBytes) {
        lock.lock();
        try {
            if (entries.size() >= maxMessages || bytes + frameBytes > maxBytes) {
                return false;
            }
            entries.addLast(new Entry(message, frameBytes));
            bytes += frameBytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest entry, removed, or null if the queue is empty. */
    Entry poll() {
        lock.lock();
        try {
            Entry entry = entries.pollFirst();
            if (entry != null) {
                bytes -= entry.frameBytes();
            }
            return entry;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every entry. */
    List<Entry> clear() {
        lock.lock();
        try {
            List<Entry> removed = new ArrayList<>(entries);
            entries.clear();
            bytes = 0;
            return removed;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
