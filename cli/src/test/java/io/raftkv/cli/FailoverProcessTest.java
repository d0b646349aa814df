package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Crashes of real server processes (kill -9) under client write load: no acknowledged write may be
 * lost, a new leader must serve quickly, and restarted nodes recover from their data directories.
 */
@ExtendWith(LogsOnFailure.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FailoverProcessTest {
    /** The largest election timeout of the server defaults (NodeConfig: 10 ms ticks, 15-30 ticks). */
    static final long ELECTION_TIMEOUT_MAX_MS = 300;
    /** The goal of the issue: a new leader serves within 1 s of the election timeout. */
    static final long GOAL_MS = ELECTION_TIMEOUT_MAX_MS + 1_000;
    /**
     * Slack for the test machine, not for the product: two cores shared by three server JVMs, the
     * test JVM with its client threads and probes, and other builds running in parallel (load
     * average 6-8 is common). A runnable thread there can wait hundreds of milliseconds for a core,
     * and detecting the crash, pre-vote, vote, the new leader's no-op fsync and the first write's
     * fsync each need several threads in three processes to be scheduled in turn.
     */
    static final long LOADED_MACHINE_MARGIN_MS = 1_200;

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
    void killingTheLeaderUnderWriteLoadLosesNoAcknowledgedWriteAndANewLeaderServesQuickly() {
        cluster = ProcessCluster.started(dir, 3);
        ServerProcess oldLeader = cluster.awaitLeader();
        long oldTerm = Long.parseLong(oldLeader.info(ProcessCluster.INFO_TIMEOUT).get("raft_term"));
        List<ServerProcess> survivors = cluster.others(oldLeader);

        long failoverMs;
        long electedMs;
        WriteLoad load = new WriteLoad(cluster, "fo", 6, 100).start();
        try (load) {
            load.awaitAcknowledged(300, Duration.ofSeconds(60));
            int beforeKill = load.acknowledged.size();

            FailoverProbe probe = new FailoverProbe(survivors, oldTerm);
            long killedAt = System.nanoTime();
            oldLeader.kill();
            probe.start(killedAt);
            try {
                failoverMs = probe.awaitFirstWrite(Duration.ofSeconds(30), cluster);
                electedMs = probe.electedMillis();
            } finally {
                probe.close();
            }
            // The load must go on through the survivors, then stop.
            load.awaitAcknowledged(load.acknowledged.size() + 300, Duration.ofSeconds(60));
            load.stop();
            System.out.printf("[failover] kill -9 of leader %s (term %d) with %d writes acknowledged: new leader "
                            + "elected after %d ms, first write acknowledged after %d ms; load: %s%n", oldLeader.id,
                    oldTerm, beforeKill, electedMs, failoverMs, load.summary());
        }
        assertThat(load.unexpected).as("answers no plain SET should get").isEmpty();

        ServerProcess newLeader = cluster.awaitLeader();
        assertThat(newLeader).isNotSameAs(oldLeader);
        Map<String, String> acknowledged = Map.copyOf(load.acknowledged);
        for (ServerProcess survivor : survivors) {
            List<String> problems = KvChecks.mismatches(survivor, acknowledged, false);
            assertThat(problems).as("acknowledged writes read through survivor %s: %s", survivor.id,
                    KvChecks.firstFew(problems)).isEmpty();
        }

        // The crashed node comes back from its data directory and catches up.
        oldLeader.start();
        oldLeader.awaitReady(ProcessCluster.START_TIMEOUT);
        long commit = Long.parseLong(newLeader.info(ProcessCluster.INFO_TIMEOUT).get("raft_commit_index"));
        cluster.awaitApplied(oldLeader, commit, Duration.ofSeconds(60));
        List<String> stale = KvChecks.mismatches(oldLeader, acknowledged, true);
        assertThat(stale).as("acknowledged writes in the restarted node's own state (READONLY): %s",
                KvChecks.firstFew(stale)).isEmpty();
        List<String> linearizable = KvChecks.mismatches(oldLeader, acknowledged, false);
        assertThat(linearizable).as("acknowledged writes read through the restarted node: %s",
                KvChecks.firstFew(linearizable)).isEmpty();

        assertThat(failoverMs)
                .as("time from kill -9 of the leader until a write is acknowledged: %d ms (leader elected after "
                        + "%d ms); goal %d ms (1 s after the %d ms maximum election timeout) + %d ms for a loaded "
                        + "2-core machine", failoverMs, electedMs, GOAL_MS, ELECTION_TIMEOUT_MAX_MS,
                        LOADED_MACHINE_MARGIN_MS)
                .isLessThan(GOAL_MS + LOADED_MACHINE_MARGIN_MS);
    }

    /**
     * The failover goal from the client's side: clients connected to the followers (which forward
     * their writes to the leader) must be served again within the goal after the leader crashes,
     * not only fresh connections.
     */
    @Test
    void clientsWritingThroughFollowersAreServedAgainSoonAfterTheLeaderCrashes() {
        cluster = ProcessCluster.started(dir, 3);
        ServerProcess oldLeader = cluster.awaitLeader();
        List<ServerProcess> followers = cluster.others(oldLeader);
        Map<Integer, Long> resumedMs = new java.util.TreeMap<>();
        WriteLoad load = new WriteLoad(cluster, followers, "ff", 4, 100).start();
        try (load) {
            load.awaitAcknowledged(200, Duration.ofSeconds(60));
            long killedAt = System.nanoTime();
            load.mark(killedAt);
            oldLeader.kill();
            Await.until("every client thread has a write acknowledged after the crash", Duration.ofSeconds(60),
                    () -> load.firstAckAfterMark.size() == load.threadCount(),
                    () -> load.summary() + "\n" + cluster.describe());
            load.firstAckAfterMark.forEach((thread, at) -> resumedMs.put(thread, (at - killedAt) / 1_000_000));
            load.stop();
            System.out.printf("[failover via followers] kill -9 of leader %s: each client thread's first "
                    + "acknowledged write after %s ms; load: %s%n", oldLeader.id, resumedMs, load.summary());
        }
        assertThat(load.unexpected).as("answers no plain SET should get").isEmpty();
        long slowest = resumedMs.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(slowest)
                .as("time from kill -9 of the leader until every client writing through a follower had a write "
                        + "acknowledged, per thread %s ms; goal %d ms + %d ms for a loaded 2-core machine. Writes "
                        + "in flight through a follower wait for the forwarded proposal's 5 s timeout "
                        + "(NodeConfig.proposalTimeout) although a new leader is serving", resumedMs, GOAL_MS,
                        LOADED_MACHINE_MARGIN_MS)
                .isLessThan(GOAL_MS + LOADED_MACHINE_MARGIN_MS);
    }

    @Test
    void killingAllThreeUnderWriteLoadAndRestartingKeepsEveryAcknowledgedWrite() {
        cluster = ProcessCluster.started(dir, 3);
        WriteLoad load = new WriteLoad(cluster, "fr", 6, 1_000).start();
        try (load) {
            load.awaitAcknowledged(500, Duration.ofSeconds(60));
            for (ServerProcess node : cluster.nodes()) {
                node.kill();
            }
            load.stop();
            System.out.printf("[full restart] killed all three under load: %s%n", load.summary());
        }
        assertThat(load.unexpected).as("answers no plain SET should get").isEmpty();
        Map<String, String> acknowledged = Map.copyOf(load.acknowledged);

        cluster.startAll();
        ServerProcess leader = cluster.awaitLeader();
        for (ServerProcess node : cluster.nodes()) {
            List<String> problems = KvChecks.mismatches(node, acknowledged, false);
            assertThat(problems).as("acknowledged writes read through %s after the restart: %s", node.id,
                    KvChecks.firstFew(problems)).isEmpty();
        }
        long commit = Long.parseLong(leader.info(ProcessCluster.INFO_TIMEOUT).get("raft_commit_index"));
        for (ServerProcess node : cluster.nodes()) {
            cluster.awaitApplied(node, commit, Duration.ofSeconds(60));
            List<String> problems = KvChecks.mismatches(node, acknowledged, true);
            assertThat(problems).as("acknowledged writes in %s's own state (READONLY): %s", node.id,
                    KvChecks.firstFew(problems)).isEmpty();
        }
        cluster.awaitWritable(leader, Duration.ofSeconds(30));
    }

    /**
     * Measures a failover from the client's side: from the kill, a fresh connection to each survivor
     * tries a SET every 25 ms (attempts run in parallel, so one stuck attempt does not delay the
     * measurement); the first {@code +OK} ends it. Also polls INFO for the election of a new leader.
     */
    static final class FailoverProbe implements AutoCloseable {
        private final List<ServerProcess> survivors;
        private final long oldTerm;
        private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, daemon("probe-tick"));
        private final ExecutorService attempts = Executors.newCachedThreadPool(daemon("probe-attempt"));
        private final LongAccumulator firstOk = new LongAccumulator(Math::min, Long.MAX_VALUE);
        private final LongAccumulator elected = new LongAccumulator(Math::min, Long.MAX_VALUE);
        private final AtomicLong sequence = new AtomicLong();
        private final AtomicLong inFlight = new AtomicLong();
        private long startNanos;

        FailoverProbe(List<ServerProcess> survivors, long oldTerm) {
            this.survivors = survivors;
            this.oldTerm = oldTerm;
        }

        void start(long killedAtNanos) {
            startNanos = killedAtNanos;
            ticker.scheduleWithFixedDelay(() -> {
                if (firstOk.get() != Long.MAX_VALUE) {
                    return;
                }
                for (ServerProcess node : survivors) {
                    if (inFlight.get() < 200) {
                        inFlight.incrementAndGet();
                        attempts.execute(() -> attempt(node));
                    }
                }
            }, 0, 25, TimeUnit.MILLISECONDS);
            ticker.scheduleWithFixedDelay(() -> {
                if (elected.get() != Long.MAX_VALUE) {
                    return;
                }
                for (ServerProcess node : survivors) {
                    Map<String, String> info = node.tryInfo(Duration.ofSeconds(2));
                    if ("leader".equals(info.get("raft_role")) && Long.parseLong(info.get("raft_term")) > oldTerm) {
                        elected.accumulate(System.nanoTime());
                    }
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
        }

        private void attempt(ServerProcess node) {
            try (Jedis jedis = node.client(Duration.ofSeconds(12))) {
                if ("OK".equals(jedis.set("failover-probe-" + sequence.incrementAndGet(), "x"))) {
                    firstOk.accumulate(System.nanoTime());
                }
            } catch (RuntimeException ignored) {
                // no leader yet, or the attempt went to the dead one: the next attempt tells
            } finally {
                inFlight.decrementAndGet();
            }
        }

        long awaitFirstWrite(Duration timeout, ProcessCluster cluster) {
            Await.until("a survivor acknowledges a write after the leader's crash", timeout,
                    () -> firstOk.get() != Long.MAX_VALUE, cluster::describe);
            return (firstOk.get() - startNanos) / 1_000_000;
        }

        long electedMillis() {
            long at = elected.get();
            return at == Long.MAX_VALUE ? -1 : (at - startNanos) / 1_000_000;
        }

        @Override
        public void close() {
            ticker.shutdownNow();
            attempts.shutdownNow();
        }

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            AtomicLong count = new AtomicLong();
            return runnable -> {
                Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
