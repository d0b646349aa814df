package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A healthy 3-node cluster of real server processes, driven by real Redis clients (Jedis, raw
 * sockets, redis-cli): reads and writes through every node, binary-safe values, and bad input on
 * the wire (R-KV-1, R-KV-3, §8). The tests share one cluster and use disjoint keys.
 */
@ExtendWith(LogsOnFailure.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientProtocolProcessTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static ProcessCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ProcessCluster.started(dir, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Jedis client(ServerProcess node) {
        return node.client(Duration.ofSeconds(20));
    }

    /** Retries while the answer says certainly not applied (an election under way), as a client would. */
    private static <T> T retry(String what, Supplier<T> action) {
        return ProcessCluster.retryingNotApplied(what, Duration.ofSeconds(30), action, cluster::describe);
    }

    // ---------------------------------------------------------------------------------------------
    // 1. Reads and writes through every node, binary-safe
    // ---------------------------------------------------------------------------------------------

    @Test
    void writesThroughEveryNodeAreReadThroughEveryNode() {
        ServerProcess leader = cluster.awaitLeader();
        for (ServerProcess writer : cluster.nodes()) {
            String key = "through-" + writer.id;
            String value = "written via " + writer.id + (writer == leader ? " (leader)" : " (follower)");
            try (Jedis jedis = client(writer)) {
                assertThat(retry("SET", () -> jedis.set(key, value))).as("SET through %s", writer).isEqualTo("OK");
                assertThat(retry("GET", () -> jedis.get(key))).as("read-your-write on %s", writer).isEqualTo(value);
                assertThat(retry("INCR", () -> jedis.incr("through-counter"))).isPositive();
            }
            for (ServerProcess reader : cluster.nodes()) {
                try (Jedis jedis = client(reader)) {
                    assertThat(retry("GET", () -> jedis.get(key)))
                            .as("GET %s through %s (written via %s)", key, reader.id, writer.id)
                            .isEqualTo(value);
                }
            }
        }
        for (ServerProcess reader : cluster.nodes()) {
            try (Jedis jedis = client(reader)) {
                assertThat(retry("GET", () -> jedis.get("through-counter"))).as("INCR through each node, read via %s", reader.id)
                        .isEqualTo("3");
            }
        }
    }

    @Test
    void valuesFromOneByteTo64KiBRoundTripByteExactThroughEveryNode() {
        Random random = new Random(42);
        Map<String, byte[]> written = new LinkedHashMap<>();
        for (int size : new int[] {1, 100, 1024, 16 * 1024, 64 * 1024}) {
            for (ServerProcess writer : cluster.nodes()) {
                byte[] value = new byte[size];
                random.nextBytes(value);
                if (size >= 4) {
                    // the bytes a text protocol could trip over
                    value[0] = '\r';
                    value[1] = '\n';
                    value[2] = 0;
                    value[size - 1] = (byte) 0xFF;
                }
                byte[] key = ("bin-" + size + "-" + writer.id + "-\r\n\0\u00ff").getBytes(StandardCharsets.ISO_8859_1);
                try (Jedis jedis = client(writer)) {
                    assertThat(retry("SET", () -> jedis.set(key, value))).as("SET %d bytes through %s", size, writer.id)
                            .isEqualTo("OK");
                }
                written.put(new String(key, StandardCharsets.ISO_8859_1), value);
            }
        }
        for (ServerProcess reader : cluster.nodes()) {
            try (Jedis jedis = client(reader)) {
                for (Map.Entry<String, byte[]> entry : written.entrySet()) {
                    byte[] key = entry.getKey().getBytes(StandardCharsets.ISO_8859_1);
                    byte[] got = retry("GET", () -> jedis.get(key));
                    assertThat(got).as("%s read through %s", entry.getKey().replace("\r\n\0\u00ff", "<binary>"),
                            reader.id).isNotNull();
                    assertThat(Arrays.equals(got, entry.getValue()))
                            .as("%s read through %s is byte-exact (%d bytes, got %d)",
                                    entry.getKey().replace("\r\n\0\u00ff", "<binary>"), reader.id,
                                    entry.getValue().length, got.length)
                            .isTrue();
                    assertThat(jedis.strlen(key)).isEqualTo(entry.getValue().length);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 5. Bad input on the wire
    // ---------------------------------------------------------------------------------------------

    @Test
    void malformedRespClosesOnlyThatConnection() {
        ServerProcess node = cluster.nodes().get(0);
        Map<String, String> malformed = new LinkedHashMap<>();
        malformed.put("an integer argument", "*2\r\n$3\r\nGET\r\n:12\r\n");
        malformed.put("a nested array", "*1\r\n*1\r\n$4\r\nPING\r\n");
        malformed.put("a null argument", "*2\r\n$3\r\nGET\r\n$-1\r\n");
        malformed.put("a non-numeric length", "*2\r\n$3\r\nGET\r\n$abc\r\n");
        malformed.put("a bulk string without its CRLF", "*1\r\n$4\r\nPINGXX\r\n");
        malformed.put("a top-level simple string", "+PING\r\n");
        malformed.put("a line of 300 KiB without its end", "*1\r\n$" + "9".repeat(300 * 1024));
        long protocolErrorsBefore = protocolErrors(node);

        try (Jedis bystander = client(node);
             RawConnection halfway = new RawConnection(node, Duration.ofSeconds(20))) {
            assertThat(retry("SET", () -> bystander.set("bystander", "before"))).isEqualTo("OK");
            // Another client in the middle of a request while the bad ones arrive.
            halfway.send("*3\r\n$3\r\nSET\r\n$7\r\nhalfway\r\n$5\r\nva");

            for (Map.Entry<String, String> bad : malformed.entrySet()) {
                try (RawConnection raw = new RawConnection(node, Duration.ofSeconds(20))) {
                    raw.send(RawConnection.command("PING"));
                    assertThat(raw.readLine()).isEqualTo("+PONG");
                    String answer;
                    try {
                        raw.send(bad.getValue());
                        answer = raw.readUntilClosed(Duration.ofSeconds(15));
                    } catch (UncheckedIOException e) {
                        answer = ""; // closed (reset) while the bad bytes were still being sent
                    }
                    assertThat(answer).as("what the server sent before closing after %s", bad.getKey())
                            .satisfiesAnyOf(a -> assertThat(a).isEmpty(),
                                    a -> assertThat(a).startsWith("-ERR Protocol error"));
                }
                assertThat(bystander.ping()).as("another connection after %s", bad.getKey()).isEqualTo("PONG");
            }

            halfway.send("lue\r\n");
            String completed = halfway.readLine();
            for (int attempt = 0; attempt < 100 && (completed.startsWith("-TRYAGAIN") || completed.startsWith("-NOTLEADER"));
                 attempt++) {
                Await.sleep(200); // an election under way: certainly not applied, send it again
                halfway.send(RawConnection.command("SET", "halfway", "value"));
                completed = halfway.readLine();
            }
            assertThat(completed).as("the half-sent request, completed").isEqualTo("+OK");
            halfway.send(RawConnection.command("GET", "halfway"));
            assertThat(halfway.readBulk()).isEqualTo("value");
            assertThat(retry("SET", () -> bystander.set("bystander", "after"))).isEqualTo("OK");
            assertThat(retry("GET", () -> bystander.get("bystander"))).isEqualTo("after");
        }
        assertThat(protocolErrors(node) - protocolErrorsBefore).as("INFO stats protocol_errors")
                .isEqualTo(malformed.size());
        assertThat(node.isAlive()).isTrue();
    }

    private static long protocolErrors(ServerProcess node) {
        try (Jedis jedis = client(node)) {
            return Long.parseLong(ServerProcess.parseInfo(jedis.info("stats")).get("protocol_errors"));
        }
    }

    @Test
    void oversizedInputGetsAnErrorAndTheConnectionStaysUsable() {
        ServerProcess node = cluster.nodes().get(1);
        try (Jedis jedis = client(node)) {
            byte[] atLimit = new byte[1024 * 1024];
            Arrays.fill(atLimit, (byte) 'v');
            assertThat(retry("SET", () -> jedis.set("size-at-limit".getBytes(StandardCharsets.UTF_8), atLimit)))
                    .as("a value of exactly 1 MiB (the default limit)").isEqualTo("OK");

            byte[] tooLarge = new byte[1024 * 1024 + 1];
            assertThatThrownBy(() -> jedis.set("size-too-large".getBytes(StandardCharsets.UTF_8), tooLarge))
                    .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR value too large");
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(retry("GET", () -> jedis.get("size-too-large"))).isNull();

            byte[] overRequestLimit = new byte[9 * 1024 * 1024];
            assertThatThrownBy(() -> jedis.set("size-9MiB".getBytes(StandardCharsets.UTF_8), overRequestLimit))
                    .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR request too large");
            assertThat(jedis.ping()).isEqualTo("PONG");

            String longKey = "k".repeat(64 * 1024 + 1);
            assertThatThrownBy(() -> jedis.set(longKey, "v"))
                    .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR key too large");
            assertThat(jedis.ping()).isEqualTo("PONG");

            String[] tooManyKeys = new String[2100];
            for (int i = 0; i < tooManyKeys.length; i++) {
                tooManyKeys[i] = "many-" + i;
            }
            assertThatThrownBy(() -> jedis.del(tooManyKeys))
                    .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR Protocol error: too many arguments");
            assertThat(jedis.ping()).isEqualTo("PONG");

            byte[] readBack = retry("GET", () -> jedis.get("size-at-limit".getBytes(StandardCharsets.UTF_8)));
            assertThat(Arrays.equals(readBack, atLimit)).as("the 1 MiB value reads back").isTrue();
            assertThat(retry("SET", () -> jedis.set("after-oversized", "ok"))).isEqualTo("OK");
            assertThat(retry("GET", () -> jedis.get("after-oversized"))).isEqualTo("ok");
        }
    }

    @Test
    void unknownCommandsAndBadArityGetErrAndTheConnectionStaysOpen() {
        for (ServerProcess node : cluster.nodes()) {
            try (Jedis jedis = client(node)) {
                assertThatThrownBy(() -> jedis.sendCommand(() -> "NOSUCHCOMMAND".getBytes(StandardCharsets.UTF_8), "a", "b"))
                        .isInstanceOf(JedisDataException.class)
                        .hasMessageStartingWith("ERR unknown command");
                assertThat(jedis.ping()).isEqualTo("PONG");
                assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GET))
                        .isInstanceOf(JedisDataException.class)
                        .hasMessageStartingWith("ERR wrong number of arguments");
                assertThat(jedis.echo("still here")).isEqualTo("still here");
            }
            try (RawConnection raw = new RawConnection(node, Duration.ofSeconds(20))) {
                raw.send("FOOBAR baz\r\n"); // an inline command, as typed into telnet
                assertThat(raw.readLine()).startsWith("-ERR unknown command");
                raw.send("PING\r\n");
                assertThat(raw.readLine()).isEqualTo("+PONG");
            }
        }
    }

    @Test
    void clientsThatDisconnectInTheMiddleOfAPipelineLeaveTheServerHealthy() {
        ServerProcess leader = cluster.awaitLeader();
        List<ServerProcess> targets = List.of(leader, cluster.others(leader).get(0));
        long[] clientsBefore = targets.stream().mapToLong(ClientProtocolProcessTest::connectedClients).toArray();
        for (ServerProcess node : targets) {
            for (int c = 0; c < 4; c++) {
                RawConnection raw = new RawConnection(node, Duration.ofSeconds(20));
                StringBuilder pipeline = new StringBuilder();
                for (int i = 0; i < 500; i++) {
                    pipeline.append(RawConnection.command("SET", "mid-" + node.id + "-" + c + "-" + i, "v" + i));
                    if (i % 10 == 0) {
                        pipeline.append(RawConnection.command("GET", "mid-" + node.id + "-" + c + "-" + (i / 2)));
                    }
                }
                pipeline.append("*3\r\n$3\r\nSET\r\n$5\r\nhalf-"); // cut in the middle of a request
                raw.send(pipeline.toString());
                if (c % 2 == 0) {
                    raw.abort(); // TCP reset
                } else {
                    raw.close(); // FIN
                }
            }
        }
        for (int t = 0; t < targets.size(); t++) {
            ServerProcess node = targets.get(t);
            long before = clientsBefore[t];
            Await.until(node.id + "'s connected_clients returns to " + before, Duration.ofSeconds(20),
                    () -> connectedClients(node) <= before + 1, () -> "connected_clients " + connectedClients(node));
            try (Jedis jedis = client(node)) {
                assertThat(jedis.ping()).isEqualTo("PONG");
                assertThat(retry("SET", () -> jedis.set("after-disconnects-" + node.id, "ok"))).isEqualTo("OK");
                assertThat(retry("GET", () -> jedis.get("after-disconnects-" + node.id))).isEqualTo("ok");
            }
            assertThat(node.isAlive()).isTrue();
        }
        assertThat(cluster.awaitLeader()).isNotNull();
    }

    private static long connectedClients(ServerProcess node) {
        try (Jedis jedis = client(node)) {
            // this connection counts itself
            return Long.parseLong(ServerProcess.parseInfo(jedis.info("clients")).get("connected_clients")) - 1;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 7. redis-cli
    // ---------------------------------------------------------------------------------------------

    @Test
    void redisCliWritesAndReadsThroughTheLeaderAndAFollower() throws Exception {
        String redisCli = onPath("redis-cli");
        if (redisCli == null) {
            fail("redis-cli is not on PATH (" + System.getenv("PATH") + "): install redis-tools "
                    + "(Debian/Ubuntu: apt-get install redis-tools); CI installs it in .ci/run");
        }
        ServerProcess leader = cluster.awaitLeader();
        ServerProcess follower = cluster.others(leader).get(0);

        assertThat(redisCli(redisCli, follower, "SET", "cli-key-1", "via follower")).isEqualTo("OK");
        assertThat(redisCli(redisCli, leader, "GET", "cli-key-1")).isEqualTo("via follower");
        assertThat(redisCli(redisCli, follower, "GET", "cli-key-1")).isEqualTo("via follower");

        assertThat(redisCli(redisCli, leader, "SET", "cli-key-2", "via leader")).isEqualTo("OK");
        assertThat(redisCli(redisCli, follower, "GET", "cli-key-2")).isEqualTo("via leader");
        assertThat(redisCli(redisCli, leader, "GET", "cli-key-2")).isEqualTo("via leader");

        assertThat(redisCli(redisCli, follower, "PING")).isEqualTo("PONG");
        assertThat(redisCli(redisCli, follower, "INFO", "raft")).contains("raft_role:follower")
                .contains("raft_leader_id:" + leader.id);
        // (newer redis-cli versions exit with status 1 after an error reply; the output is what counts)
        assertThat(runRedisCli(redisCli, leader, "NOSUCHCOMMAND").output).contains("ERR unknown command");
    }

    /**
     * Runs redis-cli and returns its output; again while the answer says certainly not applied (an
     * election under way). Fails on an error answer or a non-zero exit status.
     */
    private static String redisCli(String executable, ServerProcess node, String... args) throws Exception {
        CliRun run = runRedisCli(executable, node, args);
        for (int attempt = 0; attempt < 100 && (run.output.startsWith("TRYAGAIN") || run.output.startsWith("NOTLEADER"));
             attempt++) {
            Await.sleep(200);
            run = runRedisCli(executable, node, args);
        }
        assertThat(run.output).as("redis-cli %s", String.join(" ", args)).doesNotStartWith("ERR")
                .doesNotStartWith("TRYAGAIN").doesNotStartWith("NOTLEADER");
        assertThat(run.exit).as("exit status of redis-cli %s (output: %s)", String.join(" ", args), run.output).isZero();
        return run.output;
    }

    private record CliRun(int exit, String output) {}

    private static CliRun runRedisCli(String executable, ServerProcess node, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(executable, "-h", ServerProcess.HOST, "-p",
                Integer.toString(node.clientPort)));
        command.addAll(List.of(args));
        Process process = ServerProcess.track(new ProcessBuilder(command).redirectErrorStream(true).start());
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not finish within 30 s");
            }
            return new CliRun(process.exitValue(),
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        } finally {
            process.destroyForcibly();
        }
    }

    static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
