package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A node cut off from the majority (the other two killed with kill -9, or paused with SIGSTOP)
 * must never acknowledge a write nor answer a linearizable read (R-CLIENT-2, R-READ-1,
 * R-ELECT-9), and a write it answered "certainly not applied" must never show up later.
 */
@ExtendWith(LogsOnFailure.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MinorityProcessTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aLeaderWhoseFollowersWereKilledNeverAcknowledgesAWriteNorServesALinearizableRead() {
        cluster = ProcessCluster.started(dir, 3);
        ServerProcess lone = cluster.awaitLeader();
        List<ServerProcess> others = cluster.others(lone);
        writeBaseline(lone);
        // Sessions open before the cut, so later writes are proposed (not stuck opening a session).
        MinorityTraffic traffic = new MinorityTraffic(lone, "lone-leader", Duration.ofSeconds(8)).connect();

        others.forEach(ServerProcess::kill);
        traffic.run();
        Await.until(lone.id + " (the old leader, alone) steps down", Duration.ofSeconds(15),
                () -> !"leader".equals(lone.tryInfo(ProcessCluster.INFO_TIMEOUT).get("raft_role")), cluster::describe);
        traffic.assertNothingServed();

        others.forEach(ServerProcess::start);
        others.forEach(n -> n.awaitReady(ProcessCluster.START_TIMEOUT));
        traffic.assertNotAppliedWritesNeverAppear(cluster);
    }

    @Test
    void aFollowerWhoseLeaderAndPeerArePausedNeverAcknowledgesAWriteNorServesALinearizableRead() {
        cluster = ProcessCluster.started(dir, 3);
        ServerProcess leader = cluster.awaitLeader();
        ServerProcess lone = cluster.others(leader).get(0);
        List<ServerProcess> others = cluster.others(lone);
        writeBaseline(lone);
        // Long enough for forwarded writes to time out (5 s) and for later ones to find no leader.
        MinorityTraffic traffic = new MinorityTraffic(lone, "lone-follower", Duration.ofSeconds(8)).connect();

        others.forEach(ServerProcess::pause);
        try {
            traffic.run();
        } finally {
            others.forEach(ServerProcess::resume);
        }
        traffic.assertNothingServed();
        traffic.assertNotAppliedWritesNeverAppear(cluster);
    }

    private static void writeBaseline(ServerProcess node) {
        try (Jedis jedis = node.client(Duration.ofSeconds(15))) {
            ProcessCluster.setRetrying(jedis, MinorityTraffic.BASELINE_KEY, "baseline", Duration.ofSeconds(30), () -> "");
            assertThat(jedis.get(MinorityTraffic.BASELINE_KEY)).isEqualTo("baseline");
        }
    }

    /**
     * Writer threads (each key tried once) and reader threads against the lone node for a while,
     * recording every outcome.
     */
    static final class MinorityTraffic {
        static final String BASELINE_KEY = "minority-baseline";
        private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);

        private final ServerProcess lone;
        private final String prefix;
        private final Duration window;
        final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        final Set<String> notApplied = ConcurrentHashMap.newKeySet();
        final Set<String> unknown = ConcurrentHashMap.newKeySet();
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        final List<String> readsServed = Collections.synchronizedList(new ArrayList<>());
        final Map<String, AtomicLong> codes = new ConcurrentHashMap<>();
        private final Jedis[] writers = new Jedis[3];

        MinorityTraffic(ServerProcess lone, String prefix, Duration window) {
            this.lone = lone;
            this.prefix = prefix;
            this.window = window;
        }

        /** Opens the writers' connections and their client sessions (one acknowledged write each). */
        MinorityTraffic connect() {
            for (int t = 0; t < writers.length; t++) {
                writers[t] = lone.client(CLIENT_TIMEOUT);
                ProcessCluster.setRetrying(writers[t], prefix + "-warmup-" + t, "x", Duration.ofSeconds(30), () -> "");
            }
            return this;
        }

        MinorityTraffic run() {
            long end = System.nanoTime() + window.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < writers.length; t++) {
                int thread = t;
                threads.add(new Thread(() -> write(thread, end), "minority-writer-" + t));
            }
            for (int t = 0; t < 2; t++) {
                threads.add(new Thread(() -> read(end), "minority-reader-" + t));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                try {
                    thread.join(window.toMillis() + CLIENT_TIMEOUT.toMillis() + 10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
                assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
            }
            System.out.printf("[minority %s] writes to %s: %d not applied, %d unknown, %d acknowledged; "
                            + "answers %s; reads served %d%n", prefix, lone.id, notApplied.size(), unknown.size(),
                    acknowledged.size(), codes, readsServed.size());
            return this;
        }

        private void write(int thread, long end) {
            Jedis jedis = writers[thread];
            try {
                for (int i = 0; System.nanoTime() - end < 0; i++) {
                    String key = prefix + "-" + thread + "-" + i;
                    try {
                        if (jedis == null) {
                            jedis = lone.client(CLIENT_TIMEOUT);
                        }
                        String reply = jedis.set(key, "should-not-commit");
                        count("OK");
                        acknowledged.add(key + " -> " + reply);
                    } catch (RuntimeException e) {
                        count(Outcome.code(e));
                        switch (Outcome.of(e)) {
                            case NOT_APPLIED -> notApplied.add(key);
                            case UNKNOWN -> unknown.add(key);
                            default -> unexpected.add(key + ": " + e);
                        }
                        if (e instanceof redis.clients.jedis.exceptions.JedisConnectionException && jedis != null) {
                            jedis.close();
                            jedis = null;
                        }
                        Await.sleep(50);
                    }
                }
            } finally {
                if (jedis != null) {
                    jedis.close();
                }
            }
        }

        private void read(long end) {
            while (System.nanoTime() - end < 0) {
                try (Jedis jedis = lone.client(CLIENT_TIMEOUT)) {
                    String value = jedis.get(BASELINE_KEY);
                    readsServed.add("GET " + BASELINE_KEY + " -> " + value);
                } catch (RuntimeException e) {
                    count("read: " + Outcome.code(e));
                }
                Await.sleep(100);
            }
        }

        private void count(String code) {
            codes.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        }

        void assertNothingServed() {
            assertThat(acknowledged).as("writes a node without a majority acknowledged").isEmpty();
            assertThat(readsServed).as("linearizable reads a node without a majority answered").isEmpty();
            assertThat(unexpected).as("unexpected answers").isEmpty();
            assertThat(notApplied.size() + unknown.size()).as("writes attempted").isPositive();
        }

        /** With the majority back: no write answered "certainly not applied" is visible anywhere. */
        void assertNotAppliedWritesNeverAppear(ProcessCluster cluster) {
            ServerProcess leader = cluster.awaitLeader();
            cluster.awaitWritable(leader, Duration.ofSeconds(30));
            long commit = Long.parseLong(leader.info(ProcessCluster.INFO_TIMEOUT).get("raft_commit_index"));
            for (ServerProcess node : cluster.nodes()) {
                cluster.awaitApplied(node, commit, Duration.ofSeconds(60));
                List<String> visible = KvChecks.present(node, notApplied);
                assertThat(visible).as("writes answered 'certainly not applied' by %s that %s shows after the "
                        + "majority came back (of %d)", lone.id, node.id, notApplied.size()).isEmpty();
                try (Jedis jedis = node.client(Duration.ofSeconds(15))) {
                    assertThat(ProcessCluster.retryingNotApplied("GET", Duration.ofSeconds(30),
                            () -> jedis.get(BASELINE_KEY), cluster::describe)).isEqualTo("baseline");
                }
            }
            List<String> unknownVisible = KvChecks.present(leader, unknown);
            System.out.printf("[minority %s] after recovery: %d of %d unknown-outcome writes turned out applied%n",
                    prefix, unknownVisible.size(), unknown.size());
        }
    }
}
