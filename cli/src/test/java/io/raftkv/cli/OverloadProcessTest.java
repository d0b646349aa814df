package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
 * Overload is back-pressure, never a fatal state (R-OPS-5, R-KV-3): many connections with deep
 * pipelines of large SETs against every node. The servers may answer {@code -BUSY}, slow down or
 * report unknown outcomes, but every node stays up, answers PING, keeps a leader and serves
 * correct data afterwards.
 */
@ExtendWith(LogsOnFailure.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OverloadProcessTest {
    /** Replies a SET may get under overload (docs/kv.md, Error codes). */
    private static final List<String> ALLOWED = List.of("+OK", "-BUSY", "-TRYAGAIN", "-UNKNOWN", "-NOTLEADER");

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
    void deepPipelinesOfLargeWritesOnEveryNodeGetBackPressureAndEveryNodeStaysHealthy() throws Exception {
        cluster = ProcessCluster.started(dir, 3);
        List<ServerProcess> nodes = cluster.nodes();
        String termBefore = cluster.awaitLeader().info(ProcessCluster.INFO_TIMEOUT).get("raft_term");
        List<PipelinedClient> clients = new ArrayList<>();
        // 9 connections x 120 SETs of 256 KiB (270 MiB offered, far above the leader's 64 MiB of
        // pending proposals), and 3 connections x 20,000 small SETs (20 times the pipeline depth limit).
        for (int c = 0; c < 9; c++) {
            clients.add(new PipelinedClient(nodes.get(c % 3), "big-" + c, 120, 256 * 1024));
        }
        for (int c = 0; c < 3; c++) {
            clients.add(new PipelinedClient(nodes.get(c % 3), "small-" + c, 20_000, 100));
        }
        long start = System.nanoTime();
        clients.forEach(PipelinedClient::start);
        for (PipelinedClient client : clients) {
            client.join(Duration.ofSeconds(150));
        }
        long elapsedMs = Await.millisSince(start);

        Map<String, Long> replies = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (PipelinedClient client : clients) {
            client.replies.forEach((code, n) -> replies.merge(code, n.get(), Long::sum));
            if (client.failure != null) {
                failures.add(client.name + " on " + client.node.id + ": " + client.failure);
            }
        }
        System.out.printf("[overload] %d connections, %d ms: replies %s; client failures %s%n", clients.size(),
                elapsedMs, replies, failures);

        assertThat(failures).as("connections the servers broke or stopped answering").isEmpty();
        assertThat(replies.keySet()).as("reply kinds").allSatisfy(code -> assertThat(ALLOWED).contains(code));
        for (ServerProcess node : nodes) {
            assertThat(node.isAlive()).as("%s is still running; log:\n%s", node.id, node.logTail(40)).isTrue();
        }
        for (ServerProcess node : nodes) {
            Await.until(node.id + " answers PING", Duration.ofSeconds(30), () -> {
                try (Jedis jedis = node.client(Duration.ofSeconds(5))) {
                    return "PONG".equals(jedis.ping());
                } catch (RuntimeException e) {
                    return false;
                }
            }, cluster::describe);
            assertThat(node.info(Duration.ofSeconds(10))).as("INFO raft of %s", node.id)
                    .doesNotContainKey("raft_failure");
        }
        ServerProcess leader = cluster.awaitLeader();
        System.out.printf("[overload] term before the load %s, after it %s (leader %s)%n", termBefore,
                leader.info(ProcessCluster.INFO_TIMEOUT).get("raft_term"), leader.id);
        cluster.awaitWritable(leader, Duration.ofSeconds(60));
        for (ServerProcess node : nodes) {
            cluster.awaitWritable(node, Duration.ofSeconds(60));
        }

        // Acknowledged large values are there, byte-exact, on every node.
        long commit = Long.parseLong(leader.info(ProcessCluster.INFO_TIMEOUT).get("raft_commit_index"));
        List<String> sample = new ArrayList<>();
        for (PipelinedClient client : clients) {
            if (client.name.startsWith("big-") && !client.acknowledged.isEmpty()) {
                sample.add(client.acknowledged.get(0));
                sample.add(client.acknowledged.get(client.acknowledged.size() - 1));
            }
        }
        assertThat(sample).as("some large writes were acknowledged").isNotEmpty();
        for (ServerProcess node : nodes) {
            cluster.awaitApplied(node, commit, Duration.ofSeconds(90));
            try (Jedis jedis = node.client(Duration.ofSeconds(30))) {
                for (String key : sample) {
                    byte[] got = ProcessCluster.retryingNotApplied("GET " + key, Duration.ofSeconds(30),
                            () -> jedis.get(key.getBytes(StandardCharsets.UTF_8)), cluster::describe);
                    assertThat(got).as("%s on %s", key, node.id).isNotNull();
                    assertThat(Arrays.equals(got, PipelinedClient.value(key, 256 * 1024)))
                            .as("%s on %s is byte-exact", key, node.id).isTrue();
                }
            }
        }
        cluster.assertNoFatalLogLines();
    }

    /**
     * A raw connection that writes {@code count} SETs as fast as the socket takes them while a second
     * thread reads the replies, so the only thing slowing it down is the server's back-pressure.
     */
    static final class PipelinedClient {
        final ServerProcess node;
        final String name;
        private final int count;
        private final int valueBytes;
        final Map<String, AtomicLong> replies = new ConcurrentHashMap<>();
        final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        volatile String failure;
        private final Thread writer;
        private final Thread reader;
        private Socket socket;

        PipelinedClient(ServerProcess node, String name, int count, int valueBytes) {
            this.node = node;
            this.name = name;
            this.count = count;
            this.valueBytes = valueBytes;
            this.writer = new Thread(this::write, "overload-writer-" + name);
            this.reader = new Thread(this::read, "overload-reader-" + name);
        }

        static byte[] value(String key, int size) {
            byte[] value = new byte[size];
            new Random(key.hashCode()).nextBytes(value);
            return value;
        }

        String key(int i) {
            return "ov-" + name + "-" + i;
        }

        void start() {
            try {
                socket = new Socket();
                socket.connect(new InetSocketAddress(ServerProcess.HOST, node.clientPort), 10_000);
                socket.setSoTimeout(120_000);
            } catch (IOException e) {
                failure = "connect: " + e;
                return;
            }
            writer.start();
            reader.start();
        }

        private void write() {
            try {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                for (int i = 0; i < count; i++) {
                    String key = key(i);
                    byte[] value = valueBytes >= 1024 ? value(key, valueBytes) : ("v" + i).repeat(valueBytes / 4)
                            .getBytes(StandardCharsets.UTF_8);
                    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
                    out.write(("*3\r\n$3\r\nSET\r\n$" + keyBytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.write(keyBytes);
                    out.write(("\r\n$" + value.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.write(value);
                    out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            } catch (IOException e) {
                failure = failure == null ? "writing: " + e : failure;
            }
        }

        private void read() {
            try {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                for (int i = 0; i < count; i++) {
                    String line = readLine(in);
                    if (line == null) {
                        failure = "the server closed the connection after " + i + " of " + count + " replies";
                        return;
                    }
                    int space = line.indexOf(' ');
                    String code = space < 0 ? line : line.substring(0, space);
                    replies.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
                    if (line.equals("+OK")) {
                        acknowledged.add(key(i));
                    } else if (!ALLOWED.contains(code)) {
                        failure = failure == null ? "unexpected reply to SET " + key(i) + ": " + line : failure;
                    }
                }
            } catch (IOException e) {
                failure = failure == null ? "reading: " + e : failure;
            } finally {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\r') {
                    in.read(); // '\n'
                    return line.toString();
                }
                line.append((char) c);
            }
            return null;
        }

        void join(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Thread thread : List.of(writer, reader)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (thread.getState() != Thread.State.NEW) {
                    thread.join(Math.max(1, left));
                }
                if (thread.isAlive()) {
                    failure = failure == null ? thread.getName() + " still running after " + timeout.toSeconds()
                            + " s (the server stopped answering?); replies so far " + replies : failure;
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // unblocks the thread
                    }
                }
            }
        }
    }
}
