package io.raftkv.kv.resp;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses client session ids: a random 32-bit prefix drawn once per server process, followed by a
 * 32-bit counter. Ids are thus unique within a server (the counter) and, with overwhelming
 * probability, across all servers and restarts of a cluster (the prefix); a collision would let
 * two clients share dedup state, so ids are never reused within a process. Never 0 (0 means "no
 * session").
 */
final class SessionIds {

    private final AtomicLong next;

    SessionIds() {
        this(new SecureRandom().nextInt());
    }

    SessionIds(int prefix) {
        next = new AtomicLong(((long) prefix << 32) | 1L);
    }

    long next() {
        long id;
        do {
            id = next.getAndIncrement();
        } while (id == 0);
        return id;
    }
}
