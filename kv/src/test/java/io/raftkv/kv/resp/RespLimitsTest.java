package io.raftkv.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.kv.KvLimits;
import io.raftkv.kv.ReadMode;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/** Limits and hostile input (R-KV-3, §8): errors or a closed connection, never a crash or a hang. */
class RespLimitsTest {

    private static final int VALUE_BYTES_MAX = 4096;
    private static final int REQUEST_BYTES_MAX = KvLimits.KEY_BYTES_MAX + VALUE_BYTES_MAX + 64 * 1024;

    private static RespFixture smallLimits() throws InterruptedException {
        return RespFixture.start(builder -> builder.valueBytesMax(VALUE_BYTES_MAX).requestBytesMax(REQUEST_BYTES_MAX));
    }

    private static void awaitConnections(RespFixture fixture, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fixture.server.connectionCount() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fixture.server.connectionCount()).isEqualTo(expected);
    }

    @Test
    void oversizedKeysAndValuesGetErrorsAndTheConnectionStaysUsable() throws Exception {
        try (RespFixture fixture = smallLimits(); Jedis jedis = fixture.jedis()) {
            byte[] bigKey = new byte[KvLimits.KEY_BYTES_MAX + 1];
            assertThatThrownBy(() -> jedis.set(bigKey, "v".getBytes()))
                    .hasMessage("ERR key too large (65537 bytes; max 65536)");
            assertThatThrownBy(() -> jedis.get(bigKey)).hasMessageContaining("key too large");
            byte[] bigValue = new byte[VALUE_BYTES_MAX + 1];
            assertThatThrownBy(() -> jedis.set("k".getBytes(), bigValue))
                    .hasMessage("ERR value too large (4097 bytes; max 4096)");
            assertThat(jedis.set("k".getBytes(), new byte[VALUE_BYTES_MAX])).isEqualTo("OK");
            assertThatThrownBy(() -> jedis.append("k", "x")).hasMessage("ERR string exceeds maximum allowed size");
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void anOversizedRequestIsDiscardedAndAnswered() throws Exception {
        try (RespFixture fixture = smallLimits(); Jedis jedis = fixture.jedis()) {
            byte[] huge = new byte[REQUEST_BYTES_MAX + 1];
            assertThatThrownBy(() -> jedis.set("k".getBytes(), huge)).hasMessageContaining("request too large");
            assertThatThrownBy(() -> jedis.mset("a", "1", new String(huge, StandardCharsets.ISO_8859_1), "2"))
                    .hasMessageContaining("request too large");
            assertThat(jedis.set("k", "fine")).isEqualTo("OK");
            assertThat(jedis.get("k")).isEqualTo("fine");
        }
    }

    @Test
    void tooManyArgumentsOrKeys() throws Exception {
        try (RespFixture fixture = RespFixture.start(); Jedis jedis = fixture.jedis()) {
            String[] keys = new String[KvLimits.KEYS_PER_COMMAND_MAX + 1];
            Arrays.setAll(keys, i -> "k" + i);
            assertThatThrownBy(() -> jedis.del(keys)).hasMessage("ERR too many keys (1001; max 1000)");
            assertThatThrownBy(() -> jedis.mget(keys)).hasMessageContaining("too many keys");
            String[] arguments = new String[KvLimits.ARGUMENTS_PER_COMMAND_MAX + 10];
            Arrays.setAll(arguments, i -> "a" + i);
            assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.MSET, arguments))
                    .hasMessageContaining("too many arguments");
            assertThat(jedis.del(Arrays.copyOf(keys, 1000))).isZero();
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void malformedRespClosesOnlyThatConnection() throws Exception {
        List<String> garbage = List.of(
                "*2\r\n$3\r\nGET\r\n:5\r\n",            // an integer where an argument belongs
                "*1\r\n*1\r\n$4\r\nPING\r\n",           // a nested array
                "*2\r\n$3\r\nGET\r\n$-1\r\n",           // a null argument
                "+PING\r\n",                            // a simple string instead of a request
                "*1\r\n$abc\r\n",                       // a length that is not a number
                "*1\r\n$4\r\nPINGxx\r\n",               // content longer than declared
                "*" + "9".repeat(300_000));             // a length line that never ends
        try (RespFixture fixture = RespFixture.start(); Jedis bystander = fixture.jedis()) {
            bystander.set("k", "v");
            for (String input : garbage) {
                try (Socket socket = fixture.rawSocket()) {
                    try {
                        RespFixture.send(socket, input);
                    } catch (java.io.IOException closedWhileSending) {
                        continue;
                    }
                    assertThat(RespFixture.closedByPeer(socket)).as(input.substring(0, Math.min(20, input.length())))
                            .isTrue();
                }
                assertThat(bystander.get("k")).isEqualTo("v");
            }
            awaitConnections(fixture, 1);
        }
    }

    @Test
    void aClientDisconnectingMidPipelineLeavesTheServerHealthy() throws Exception {
        try (RespFixture fixture = RespFixture.start()) {
            for (int round = 0; round < 5; round++) {
                try (Socket socket = fixture.rawSocket()) {
                    StringBuilder pipeline = new StringBuilder();
                    for (int i = 0; i < 2000; i++) {
                        pipeline.append("*3\r\n$3\r\nSET\r\n$2\r\nk").append(i % 10).append("\r\n$1\r\nv\r\n");
                        pipeline.append("*2\r\n$3\r\nGET\r\n$2\r\nk").append(i % 10).append("\r\n");
                    }
                    // Half a request at the end, then gone without reading a single reply.
                    pipeline.append("*3\r\n$3\r\nSET\r\n$5\r\nab");
                    RespFixture.send(socket, pipeline.toString());
                }
            }
            awaitConnections(fixture, 0);
            try (Jedis jedis = fixture.jedis()) {
                assertThat(jedis.set("after", "ok")).isEqualTo("OK");
                assertThat(jedis.get("after")).isEqualTo("ok");
            }
        }
    }

    @Test
    void aDeepPipelineIsThrottledThenAnsweredInOrder() throws Exception {
        int commands = 20_000;
        try (RespFixture fixture = RespFixture.start(builder -> builder.pipelineDepthMax(16));
             Socket socket = fixture.rawSocket()) {
            fixture.backend.holdReads();
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < commands; i++) {
                String argument = Integer.toString(i);
                requests.append("*2\r\n$4\r\nECHO\r\n$").append(argument.length()).append("\r\n").append(argument)
                        .append("\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
            }
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(requests.toString().getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(300);
            // Reading stopped near the limit: far fewer barriers than requests sent.
            long started = fixture.backend.barrierCount(ReadMode.LINEARIZABLE);
            assertThat(started).isLessThan(commands / 4);
            fixture.backend.releaseReads();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < commands; i++) {
                String argument = Integer.toString(i);
                assertThat(readLine(in)).isEqualTo("$" + argument.length());
                assertThat(readLine(in)).isEqualTo(argument);
                assertThat(readLine(in)).isEqualTo("$-1");
            }
            sent.get(10, TimeUnit.SECONDS);
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new java.io.EOFException("connection closed after: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedWithAnError() throws Exception {
        try (RespFixture fixture = RespFixture.start(builder -> builder.connectionsMax(2));
             Jedis first = fixture.jedis(); Jedis second = fixture.jedis()) {
            first.ping();
            second.ping();
            try (Socket third = fixture.rawSocket()) {
                assertThat(RespFixture.readLine(third)).isEqualTo("-ERR max number of clients reached");
                assertThat(RespFixture.closedByPeer(third)).isTrue();
            }
            assertThat(first.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void emptyRequestsAreIgnored() throws Exception {
        try (RespFixture fixture = RespFixture.start(); Socket socket = fixture.rawSocket()) {
            RespFixture.send(socket, "*0\r\n*-1\r\n\r\n*1\r\n$4\r\nPING\r\n");
            assertThat(RespFixture.readLine(socket)).isEqualTo("+PONG");
        }
    }

    @Test
    void manyConcurrentClients() throws Exception {
        try (RespFixture fixture = RespFixture.start()) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                clients.add(CompletableFuture.runAsync(() -> {
                    try (Jedis jedis = fixture.jedis()) {
                        for (int i = 0; i < 100; i++) {
                            jedis.incr("shared");
                            jedis.set("own" + client, Integer.toString(i));
                        }
                    }
                }));
            }
            CompletableFuture.allOf(clients.toArray(new CompletableFuture[0])).get(20, TimeUnit.SECONDS);
            try (Jedis jedis = fixture.jedis()) {
                assertThat(jedis.get("shared")).isEqualTo("800");
            }
        }
    }
}
