package io.raftkv.kv;

/**
 * The fixed limits of the key-value store (R-KV-3), each with its reason. Limits that decide a
 * command's <em>result</em> are constants here, because every replica must decide them the same
 * way; limits that only decide whether a server accepts a request (value and request size,
 * pipeline depth) are configurable on the server ({@code RespServerConfig}).
 */
public final class KvLimits {

    /**
     * Longest key, 64 KiB. Keys are hashed and compared on every access, repeated in every KEYS
     * and SCAN reply and kept in memory once per entry; real keys are names, far below this. Redis
     * allows 512 MiB, which only invites abuse.
     */
    public static final int KEY_BYTES_MAX = 64 * 1024;

    /**
     * Default longest value, 1 MiB (configurable per server). Each write is one Raft log entry that
     * the leader replicates to every follower and every node fsyncs; large entries stall the
     * replication pipeline behind them (see shared/LESSONS.md: throughput collapsed with 10 KB
     * entries in SOFAJRaft). 1 MiB keeps one entry to a few milliseconds on a LAN.
     */
    public static final int VALUE_BYTES_MAX_DEFAULT = 1024 * 1024;

    /** Hard ceiling for any configured value size: Redis's own bulk string maximum, 512 MiB. */
    public static final int VALUE_BYTES_CEILING = 512 * 1024 * 1024;

    /**
     * Most keys in one command (MSET, DEL, MGET, EXISTS), 1000. Bounds the size of one log entry and
     * the time one command holds the apply thread; clients batch larger jobs into several commands.
     */
    public static final int KEYS_PER_COMMAND_MAX = 1000;

    /** Most arguments in one request: MSET with the maximum number of pairs, plus headroom. */
    public static final int ARGUMENTS_PER_COMMAND_MAX = 2 * KEYS_PER_COMMAND_MAX + 48;

    /**
     * Idle time after which a client session expires, 10 minutes of leader time (thesis §6.3).
     * Must exceed the longest time a client keeps retrying one command; our server retries for at
     * most its command timeout (seconds). A constant, because expiry decides results.
     */
    public static final long SESSION_TIMEOUT_MS = 10 * 60 * 1000L;

    /**
     * How often, in leader time, the state machine sweeps expired sessions out of memory. Expiry
     * itself is checked on every access, so this only bounds memory, not correctness.
     */
    public static final long SESSION_SWEEP_INTERVAL_MS = 10 * 1000L;

    /**
     * Most open client sessions, 100,000. Each server opens one per client connection that writes;
     * beyond this, opening a session fails with a retryable BUSY error instead of growing without
     * bound.
     */
    public static final int SESSIONS_MAX = 100_000;

    /**
     * Most cached results kept per session, 4096. A session keeps the result of every command
     * its client has not yet acknowledged (so a retry gets the original answer); a well-behaved
     * connection has at most its pipeline depth outstanding. Beyond this the oldest results are
     * dropped and their sequence numbers count as acknowledged: a late retry of one gets an error,
     * never a second application.
     */
    public static final int SESSION_CACHED_RESULTS_MAX = 4096;

    private KvLimits() {
    }
}
