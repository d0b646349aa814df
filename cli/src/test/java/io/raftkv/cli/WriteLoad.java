package io.raftkv.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import redis.clients.jedis.Jedis;

/**
 * Client threads writing unique keys ({@code SET prefix-t-i value}) through every node of a
 * cluster. A write is retried (same key, same value, possibly on another node) only after an answer
 * that says it was certainly not applied; an unknown outcome is recorded and the thread moves on.
 * Every {@code +OK} is recorded as acknowledged.
 */
final class WriteLoad implements AutoCloseable {
    /** Longer than the server's 10 s command timeout: the server decides, not the client. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);

    private final ProcessCluster cluster;
    private final List<ServerProcess> targets;
    private final String prefix;
    private final int valueBytes;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    /** key -> value of every acknowledged write. */
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** keys whose write had an unknown outcome (never retried). */
    final Set<String> unknown = ConcurrentHashMap.newKeySet();
    /** error code -> count, for the report. */
    final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    /** Answers that no plain SET should get. */
    final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    /** nanoTime of the latest acknowledgement. */
    final LongAccumulator lastAckNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);
    /** per thread: the longest time between two acknowledgements, in ms (stalls during a failover). */
    final Map<Integer, Long> longestStallMillis = new ConcurrentHashMap<>();
    /**
     * nanoTime set by {@link #mark}; per thread, when the first write it sent after the mark was
     * acknowledged (a thread whose write is stuck sends nothing else meanwhile).
     */
    private volatile long markNanos = Long.MAX_VALUE;
    final Map<Integer, Long> firstAckAfterMark = new ConcurrentHashMap<>();

    WriteLoad(ProcessCluster cluster, String prefix, int threadCount, int valueBytes) {
        this(cluster, cluster.nodes(), prefix, threadCount, valueBytes);
    }

    /** Threads start on {@code targets} (round robin) and move on to the other nodes only on failures. */
    WriteLoad(ProcessCluster cluster, List<ServerProcess> targets, String prefix, int threadCount, int valueBytes) {
        this.cluster = cluster;
        this.targets = targets;
        this.prefix = prefix;
        this.valueBytes = valueBytes;
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            Thread worker = new Thread(() -> run(thread), "write-load-" + prefix + "-" + t);
            worker.setDaemon(true);
            threads.add(worker);
        }
    }

    WriteLoad start() {
        threads.forEach(Thread::start);
        return this;
    }

    String value(int thread, long i) {
        StringBuilder value = new StringBuilder(prefix).append('-').append(thread).append('-').append(i).append(':');
        while (value.length() < valueBytes) {
            value.append((char) ('a' + (value.length() * 7 + i) % 26));
        }
        return value.toString();
    }

    private void run(int thread) {
        List<ServerProcess> nodes = new ArrayList<>(targets);
        cluster.nodes().stream().filter(n -> !targets.contains(n)).forEach(nodes::add);
        int nodeIndex = thread % targets.size();
        Jedis jedis = null;
        long lastAck = System.nanoTime();
        long longest = 0;
        try {
            for (long i = 0; !stop.get(); i++) {
                String key = prefix + "-" + thread + "-" + i;
                String value = value(thread, i);
                while (!stop.get()) {
                    try {
                        if (jedis == null) {
                            jedis = nodes.get(nodeIndex).client(CLIENT_TIMEOUT); // connects now
                        }
                        long sentAt = System.nanoTime();
                        String reply = jedis.set(key, value);
                        if ("OK".equals(reply)) {
                            acknowledged.put(key, value);
                            long now = System.nanoTime();
                            longest = Math.max(longest, (now - lastAck) / 1_000_000);
                            lastAck = now;
                            lastAckNanos.accumulate(now);
                            if (sentAt - markNanos > 0) {
                                firstAckAfterMark.putIfAbsent(thread, now);
                            }
                        } else {
                            unexpected.add(key + ": reply " + reply);
                        }
                        break;
                    } catch (RuntimeException e) {
                        Outcome outcome = Outcome.of(e);
                        errors.computeIfAbsent(Outcome.code(e), c -> new AtomicLong()).incrementAndGet();
                        if (e instanceof redis.clients.jedis.exceptions.JedisConnectionException
                                || String.valueOf(e.getMessage()).startsWith("NOTLEADER")
                                || String.valueOf(e.getMessage()).startsWith("ERR node stopped")) {
                            // Go elsewhere: this node is gone or cannot serve.
                            if (jedis != null) {
                                jedis.close();
                                jedis = null;
                            }
                            nodeIndex = (nodeIndex + 1) % nodes.size();
                        }
                        if (outcome == Outcome.NOT_APPLIED) {
                            Await.sleep(20);
                            continue; // certainly not applied: the same write again
                        }
                        if (outcome == Outcome.UNKNOWN) {
                            unknown.add(key);
                        } else {
                            unexpected.add(key + ": " + e);
                        }
                        break;
                    }
                }
            }
        } finally {
            if (jedis != null) {
                jedis.close();
            }
            longestStallMillis.put(thread, longest);
        }
    }

    /** From now on, records each thread's first acknowledged write sent after now ({@link #firstAckAfterMark}). */
    void mark(long nanoTime) {
        markNanos = nanoTime;
    }

    int threadCount() {
        return threads.size();
    }

    /** Waits until at least {@code count} writes have been acknowledged. */
    void awaitAcknowledged(int count, Duration timeout) {
        Await.until(count + " writes acknowledged", timeout, () -> acknowledged.size() >= count,
                () -> "acknowledged " + acknowledged.size() + ", errors " + errors + "\n" + cluster.describe());
    }

    /** Stops the threads; in-flight writes end within the client timeout. */
    void stop() {
        stop.set(true);
        for (Thread thread : threads) {
            try {
                thread.join(CLIENT_TIMEOUT.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop within the client timeout");
            }
        }
    }

    String summary() {
        return "acknowledged " + acknowledged.size() + ", unknown outcome " + unknown.size() + ", errors " + errors
                + ", longest stall per thread (ms) " + longestStallMillis;
    }

    @Override
    public void close() {
        stop.set(true);
    }
}
