package io.raftkv.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * All open client sessions, keyed by id: an immutable value, part of {@link KvState} and of every
 * snapshot (LESSONS.md: "keep the dedup table in snapshots"). Expiry is decided by leader time
 * only, so every replica expires the same sessions at the same log position.
 *
 * <p>Expiry is checked on every access ({@link #live}); the periodic sweep only reclaims memory.
 * When the table is full, opening a session first sweeps, so whether an open succeeds depends only
 * on which sessions are live, not on when the last sweep ran.
 */
final class SessionTable {

    static final SessionTable EMPTY = new SessionTable(PersistentHashMap.empty(), 0);

    private final PersistentHashMap<Long, ClientSession> sessions;
    /** Leader time of the last sweep of expired sessions. */
    final long lastSweepMs;

    SessionTable(PersistentHashMap<Long, ClientSession> sessions, long lastSweepMs) {
        this.sessions = sessions;
        this.lastSweepMs = lastSweepMs;
    }

    int size() {
        return sessions.size();
    }

    /** Session {@code id} if it is open and not expired at {@code nowMs}, else null. */
    ClientSession live(long id, long nowMs) {
        ClientSession session = sessions.get(id);
        return session == null || session.isExpired(nowMs) ? null : session;
    }

    /** Whether session {@code id} is in the table, expired or not. */
    boolean contains(long id) {
        return sessions.containsKey(id);
    }

    SessionTable put(ClientSession session) {
        return new SessionTable(sessions.put(session.id, session), lastSweepMs);
    }

    SessionTable remove(long id) {
        PersistentHashMap<Long, ClientSession> remaining = sessions.remove(id);
        return remaining == sessions ? this : new SessionTable(remaining, lastSweepMs);
    }

    /** Sweeps if {@link KvLimits#SESSION_SWEEP_INTERVAL_MS} of leader time passed since the last sweep. */
    SessionTable sweepIfDue(long nowMs) {
        return nowMs - lastSweepMs >= KvLimits.SESSION_SWEEP_INTERVAL_MS ? sweep(nowMs) : this;
    }

    /** This table without the sessions expired at {@code nowMs}. */
    SessionTable sweep(long nowMs) {
        List<Long> expired = new ArrayList<>();
        sessions.forEach((id, session) -> {
            if (session.isExpired(nowMs)) {
                expired.add(id);
            }
        });
        PersistentHashMap<Long, ClientSession> remaining = sessions;
        for (Long id : expired) {
            remaining = remaining.remove(id);
        }
        return new SessionTable(remaining, nowMs);
    }

    /** Every session, in a deterministic order (the trie's hash order). */
    void forEach(Consumer<ClientSession> action) {
        sessions.forEach((id, session) -> action.accept(session));
    }
}
