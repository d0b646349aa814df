package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code raftkv demo} as a user runs it (R-OPS-1, R-OPS-2): a child JVM that starts three server
 * processes, prints their endpoints, serves Redis clients, and on SIGTERM (Ctrl-C) stops every
 * server it started.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DemoCommandProcessTest {
    private static final Pattern ENDPOINT = Pattern.compile("^\\s+(n\\d)\\s+client (\\S+):(\\d+)\\s");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void demoPrintsItsEndpointsServesClientsAndStopsEveryServerOnSigterm() throws Exception {
        int base = freeBasePort();
        Path data = dir.resolve("demo");
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Process demo = ServerProcess.track(new ProcessBuilder(ServerProcess.javaCommand(List.of("demo", "--data-dir",
                data.toString(), "--base-port", Integer.toString(base)))).redirectErrorStream(true).start());
        List<ProcessHandle> servers = new ArrayList<>();
        try {
            Thread stdout = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        output.add(line);
                    }
                } catch (IOException ignored) {
                    // the demo exited
                }
            }, "demo-stdout");
            stdout.setDaemon(true);
            stdout.start();

            List<Integer> clientPorts = new ArrayList<>();
            Await.until("the demo prints three client endpoints", Duration.ofSeconds(60), () -> {
                clientPorts.clear();
                synchronized (output) {
                    for (String line : output) {
                        Matcher m = ENDPOINT.matcher(line);
                        if (m.find()) {
                            assertThat(m.group(2)).isEqualTo("127.0.0.1");
                            clientPorts.add(Integer.parseInt(m.group(3)));
                        }
                    }
                }
                if (!demo.isAlive()) {
                    throw new AssertionError("the demo exited with " + demo.exitValue() + ":\n" + String.join("\n", output));
                }
                return clientPorts.size() == 3;
            }, () -> String.join("\n", output));
            assertThat(clientPorts).containsExactly(base, base + 1, base + 2);
            servers.addAll(demo.toHandle().descendants().toList());
            assertThat(servers).as("server processes started by the demo").hasSizeGreaterThanOrEqualTo(3);

            // Unstarted ServerProcess objects serve as clients of the demo's nodes.
            List<ServerProcess> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add(new ServerProcess("n" + (i + 1), clientPorts.get(i), base + 100 + i, data, data, ""));
            }
            Await.until("the demo's nodes agree on a leader", Duration.ofSeconds(60), () -> {
                String leader = null;
                for (ServerProcess node : nodes) {
                    Map<String, String> info = node.tryInfo(Duration.ofSeconds(3));
                    String id = info.get("raft_leader_id");
                    if (id == null || id.isEmpty() || (leader != null && !leader.equals(id))) {
                        return false;
                    }
                    leader = id;
                }
                return true;
            }, () -> String.join("\n", output));

            for (ServerProcess writer : nodes) {
                try (Jedis jedis = writer.client(Duration.ofSeconds(20))) {
                    ProcessCluster.setRetrying(jedis, "demo-" + writer.id, "via " + writer.id, Duration.ofSeconds(30),
                            () -> String.join("\n", output));
                }
                for (ServerProcess reader : nodes) {
                    try (Jedis jedis = reader.client(Duration.ofSeconds(20))) {
                        assertThat(ProcessCluster.retryingNotApplied("GET", Duration.ofSeconds(30),
                                () -> jedis.get("demo-" + writer.id), () -> ""))
                                .as("written via %s, read via %s", writer.id, reader.id).isEqualTo("via " + writer.id);
                    }
                }
            }

            // Ctrl-C: SIGTERM to the demo; it must stop and take every server with it.
            long stopping = System.nanoTime();
            demo.destroy();
            assertThat(demo.waitFor(40, TimeUnit.SECONDS)).as("the demo exits within 40 s of SIGTERM").isTrue();
            for (ProcessHandle server : servers) {
                Await.until("server process " + server.pid() + " exits", Duration.ofSeconds(10),
                        () -> !server.isAlive(), () -> "still alive: " + server.info());
            }
            System.out.printf("[demo] 3 servers on base port %d; all stopped %d ms after SIGTERM to the demo%n", base,
                    Await.millisSince(stopping));
            assertThat(demo.toHandle().descendants().filter(ProcessHandle::isAlive).toList())
                    .as("processes left behind").isEmpty();
        } finally {
            demo.destroyForcibly();
            servers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A base port with base..base+2 and base+100..base+102 all free. */
    private static int freeBasePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ProcessCluster.freePorts(1)[0];
            if (base > 65_000) {
                continue;
            }
            if (allFree(base, base + 1, base + 2, base + 100, base + 101, base + 102)) {
                return base;
            }
        }
        throw new AssertionError("no free base port found");
    }

    private static boolean allFree(int... ports) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int port : ports) {
                sockets.add(new ServerSocket(port, 50, InetAddress.getByName(ServerProcess.HOST)));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
