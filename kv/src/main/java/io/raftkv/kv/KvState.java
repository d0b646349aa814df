package io.raftkv.kv;

/**
 * The whole replicated state of the key-value store at one log position: an immutable value.
 * The state machine publishes a new one after each command, so a snapshot or a reader simply
 * keeps the one it saw (copy-on-write through structural sharing, R-SNAP-2).
 *
 * @param data             every key and its value
 * @param sessions         the client session table (exactly-once, thesis §6.3)
 * @param nowMs            leader time: the largest {@link KvProposal#leaderTimeMs()} applied, never decreasing
 * @param lastAppliedIndex log index of the last applied command, 0 before any (diagnostic only)
 */
record KvState(PersistentHashMap<Bytes, Bytes> data, SessionTable sessions, long nowMs, long lastAppliedIndex) {

    static final KvState EMPTY = new KvState(PersistentHashMap.empty(), SessionTable.EMPTY, 0, 0);
}
