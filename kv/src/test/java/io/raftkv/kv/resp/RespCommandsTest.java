package io.raftkv.kv.resp;

import static io.raftkv.kv.resp.RespFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.kv.ReadMode;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** Every command through a real Redis client (Jedis) against the server (R-KV-1). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RespCommandsTest {

    private RespFixture fixture;
    private Jedis jedis;

    @BeforeAll
    void startServer() throws InterruptedException {
        fixture = RespFixture.start();
    }

    @AfterAll
    void stopServer() throws Exception {
        fixture.close();
    }

    @BeforeEach
    void freshClientAndEmptyStore() {
        if (jedis != null) {
            jedis.close();
        }
        jedis = fixture.jedis();
        Set<String> keys = jedis.keys("*");
        if (!keys.isEmpty()) {
            jedis.del(keys.toArray(new String[0]));
        }
    }

    private Object cas(String... arguments) {
        return jedis.sendCommand(command("CAS"), arguments);
    }

    private static String text(Object reply) {
        return new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    @Test
    void pingAndEcho() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.ping("hi")).isEqualTo("hi");
        assertThat(jedis.echo("hello")).isEqualTo("hello");
    }

    @Test
    void setAndGetWithOptions() {
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(jedis.get("missing")).isNull();
        assertThat(jedis.set("k", "w", SetParams.setParams().nx())).isNull();
        assertThat(jedis.set("k", "w", SetParams.setParams().xx())).isEqualTo("OK");
        assertThat(jedis.set("new", "1", SetParams.setParams().xx())).isNull();
        assertThat(jedis.setGet("k", "x")).isEqualTo("w");
        assertThat(jedis.get("k")).isEqualTo("x");
        assertThat(jedis.sendCommand(Protocol.Command.SET, "k", "y", "KEEPTTL")).isEqualTo("OK".getBytes());
        assertThatThrownBy(() -> jedis.set("k", "v", SetParams.setParams().ex(10)))
                .isInstanceOf(JedisDataException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "NX", "XX"))
                .hasMessageContaining("syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "BOGUS"))
                .hasMessageContaining("syntax error");
    }

    @Test
    void deleteAndExists() {
        jedis.mset("a", "1", "b", "2");
        assertThat(jedis.exists("a", "b", "c", "a")).isEqualTo(3);
        assertThat(jedis.del("a", "b", "c")).isEqualTo(2);
        assertThat(jedis.exists("a")).isFalse();
    }

    @Test
    void countersAndTheirErrors() {
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 10)).isEqualTo(11);
        assertThat(jedis.decr("n")).isEqualTo(10);
        assertThat(jedis.decrBy("n", 20)).isEqualTo(-10);
        jedis.set("text", "abc");
        assertThatThrownBy(() -> jedis.incr("text")).hasMessage("ERR value is not an integer or out of range");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.INCRBY, "n", "1.5"))
                .hasMessage("ERR value is not an integer or out of range");
        jedis.set("max", Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(() -> jedis.incr("max")).hasMessage("ERR increment or decrement would overflow");
        assertThatThrownBy(() -> jedis.decrBy("n", Long.MIN_VALUE)).hasMessage("ERR decrement would overflow");
        assertThat(jedis.get("n")).isEqualTo("-10");
    }

    @Test
    void appendAndStrlen() {
        assertThat(jedis.append("k", "ab")).isEqualTo(2);
        assertThat(jedis.append("k", "cd")).isEqualTo(4);
        assertThat(jedis.strlen("k")).isEqualTo(4);
        assertThat(jedis.strlen("missing")).isZero();
        assertThat(jedis.get("k")).isEqualTo("abcd");
    }

    @Test
    void multiKeyCommands() {
        assertThat(jedis.mset("a", "1", "b", "2")).isEqualTo("OK");
        assertThat(jedis.mget("a", "missing", "b")).containsExactly("1", null, "2");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.MSET, "a", "1", "b"))
                .hasMessage("ERR wrong number of arguments for 'mset' command");
        assertThat(jedis.getSet("a", "9")).isEqualTo("1");
        assertThat(jedis.getSet("fresh", "9")).isNull();
        assertThat(jedis.getDel("a")).isEqualTo("9");
        assertThat(jedis.getDel("a")).isNull();
    }

    @Test
    void compareAndSetForms() {
        assertThat(cas("lock", "ABSENT", "SET", "owner-1")).isEqualTo(1L);
        assertThat(cas("lock", "ABSENT", "SET", "owner-2")).isEqualTo(0L);
        assertThat(cas("lock", "owner-2", "owner-3")).isEqualTo(0L);
        assertThat(cas("lock", "owner-1", "owner-2")).isEqualTo(1L);
        assertThat(cas("lock", "EQ", "owner-2", "SET", "owner-3")).isEqualTo(1L);
        assertThat(jedis.get("lock")).isEqualTo("owner-3");
        assertThat(cas("lock", "EQ", "owner-1", "DEL")).isEqualTo(0L);
        assertThat(cas("lock", "EQ", "owner-3", "DEL")).isEqualTo(1L);
        assertThat(jedis.exists("lock")).isFalse();
        // The short form takes any values, even ones spelled like keywords.
        assertThat(cas("k", "ABSENT", "EQ")).isEqualTo(0L);
        assertThatThrownBy(() -> cas("k", "FOO", "SET", "x")).hasMessageContaining("syntax error");
        assertThatThrownBy(() -> cas("k", "v")).hasMessageContaining("wrong number of arguments");
    }

    @Test
    void keysScanAndDbsize() {
        for (int i = 0; i < 250; i++) {
            jedis.set("user:" + i, "x");
        }
        jedis.set("other", "x");
        assertThat(jedis.dbSize()).isEqualTo(251);
        assertThat(jedis.keys("user:1?")).hasSize(10);
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("user:*").count(17));
            seen.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(250);
        ScanResult<String> typed = jedis.scan("0", new ScanParams().count(1000), "hash");
        assertThat(typed.getResult()).isEmpty();
        assertThatThrownBy(() -> jedis.scan("nope")).hasMessage("ERR invalid cursor");
        assertThatThrownBy(() -> jedis.scan("0", new ScanParams().count(0))).hasMessage("ERR syntax error");
    }

    @Test
    void infoHasServerKeyspaceAndRaftSections() {
        jedis.set("k", "v");
        String info = jedis.info();
        assertThat(info).contains("# Server\r\n", "redis_version:", "# Raft\r\n", "raft_role:leader",
                "raft_applied_index:", "# Keyspace\r\n", "db0:keys=1");
        String raftOnly = jedis.info("raft");
        assertThat(raftOnly).startsWith("# Raft\r\n").contains("raft_term:1").doesNotContain("# Server");
        assertThat(jedis.info("nonsense")).isEmpty();
    }

    @Test
    void helloClientAndCommand() {
        @SuppressWarnings("unchecked")
        List<Object> hello = (List<Object>) jedis.sendCommand(command("HELLO"), "2", "SETNAME", "me");
        assertThat(text(hello.get(0))).isEqualTo("server");
        assertThat(hello).contains(2L);
        assertThat(jedis.clientGetname()).isEqualTo("me");
        assertThatThrownBy(() -> jedis.sendCommand(command("HELLO"), "3")).hasMessageStartingWith("NOPROTO");
        assertThat(jedis.clientSetname("worker-1")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isEqualTo("worker-1");
        assertThatThrownBy(() -> jedis.clientSetname("bad name")).hasMessageContaining("cannot contain spaces");
        assertThat(jedis.clientId()).isPositive();
        assertThat(jedis.clientInfo()).contains("name=worker-1");
        assertThat(jedis.clientSetInfo(redis.clients.jedis.args.ClientAttributeOption.LIB_NAME, "test"))
                .isEqualTo("OK");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "KILL")).hasMessageContaining("unknown subcommand");
        assertThat(jedis.commandCount()).isEqualTo(30);
        // Cluster administration needs a cluster; a bad subcommand is named.
        assertThatThrownBy(() -> jedis.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "REMOVE", "n2"))
                .hasMessageContaining("no cluster to administer");
        assertThatThrownBy(() -> jedis.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "JOIN", "n2"))
                .hasMessageContaining("unknown RAFT subcommand 'JOIN'");
        assertThatThrownBy(() -> jedis.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "REMOVE"))
                .hasMessageContaining("wrong number of arguments");
        assertThatThrownBy(() -> jedis.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "ADD-LEARNER", "n4"))
                .hasMessageContaining("wrong number of arguments for 'raft|add-learner'");
        assertThatThrownBy(() -> jedis.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "REMOVE", "n2", "x"))
                .hasMessageContaining("wrong number of arguments for 'raft|remove'");
        assertThatThrownBy(() -> jedis.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "ADD-LEARNER", "n4",
                "127.0.0.1:7104")).hasMessageContaining("no cluster to administer");
        @SuppressWarnings("unchecked")
        List<Object> infos = (List<Object>) jedis.sendCommand(Protocol.Command.COMMAND, "INFO", "get", "nope");
        assertThat(infos).hasSize(2);
        assertThat(infos.get(1)).isNull();
        assertThat(jedis.sendCommand(Protocol.Command.COMMAND, "DOCS")).isEqualTo(List.of());
        assertThat((List<?>) jedis.sendCommand(Protocol.Command.COMMAND)).hasSize(30);
    }

    @Test
    void selectAuthAndQuit() throws Exception {
        assertThat(jedis.select(0)).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.select(1)).hasMessage("ERR DB index is out of range");
        assertThatThrownBy(() -> jedis.auth("secret")).hasMessageContaining("without any password");
        try (Socket socket = fixture.rawSocket()) {
            RespFixture.send(socket, "*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n");
            assertThat(RespFixture.readLine(socket)).isEqualTo("+OK");
            assertThat(RespFixture.readLine(socket)).isNull();
        }
    }

    @Test
    void readonlyMakesReadsStaleAndReadwriteRestoresLinearizable() {
        long linearizable = fixture.backend.barrierCount(ReadMode.LINEARIZABLE);
        long stale = fixture.backend.barrierCount(ReadMode.STALE);
        jedis.get("k");
        assertThat(fixture.backend.barrierCount(ReadMode.LINEARIZABLE)).isEqualTo(linearizable + 1);
        assertThat(jedis.readonly()).isEqualTo("OK");
        jedis.get("k");
        jedis.mget("a", "b");
        assertThat(fixture.backend.barrierCount(ReadMode.STALE)).isEqualTo(stale + 2);
        assertThat(jedis.readwrite()).isEqualTo("OK");
        jedis.exists("k");
        assertThat(fixture.backend.barrierCount(ReadMode.LINEARIZABLE)).isEqualTo(linearizable + 2);
        assertThat(fixture.backend.barrierCount(ReadMode.STALE)).isEqualTo(stale + 2);
    }

    @Test
    void unknownCommandsAndWrongArityAreErrorsNotDisconnects() {
        assertThatThrownBy(() -> jedis.sendCommand(command("FLUSHEVERYTHING"), "a", "b"))
                .hasMessage("ERR unknown command 'FLUSHEVERYTHING', with args beginning with: 'a' 'b' ");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GET))
                .hasMessage("ERR wrong number of arguments for 'get' command");
        assertThat(jedis.ping()).isEqualTo("PONG");
    }

    @Test
    void inlineCommandsWork() throws Exception {
        try (Socket socket = fixture.rawSocket()) {
            RespFixture.send(socket, "PING\r\nSET inline  value\r\nGET inline\r\n");
            assertThat(RespFixture.readLine(socket)).isEqualTo("+PONG");
            assertThat(RespFixture.readLine(socket)).isEqualTo("+OK");
            assertThat(RespFixture.readLine(socket)).isEqualTo("$5");
            assertThat(RespFixture.readLine(socket)).isEqualTo("value");
        }
    }

    @Test
    void binaryValuesFromOneByteTo64KiB() {
        java.util.Random random = new java.util.Random(1);
        for (int size = 1; size <= 64 * 1024; size *= 4) {
            byte[] key = ("bin" + size).getBytes(StandardCharsets.UTF_8);
            byte[] value = new byte[size];
            random.nextBytes(value);
            assertThat(jedis.set(key, value)).isEqualTo("OK");
            assertThat(jedis.get(key)).isEqualTo(value);
        }
        byte[] largest = new byte[64 * 1024];
        random.nextBytes(largest);
        jedis.set("largest".getBytes(), largest);
        assertThat(jedis.get("largest".getBytes())).isEqualTo(largest);
        assertThat(jedis.strlen("largest")).isEqualTo(64 * 1024);
    }

    @Test
    void aThousandPipelinedCommandsAreAnsweredInOrder() {
        Pipeline pipeline = jedis.pipelined();
        List<Response<?>> responses = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            switch (i % 4) {
                case 0 -> responses.add(pipeline.set("p" + i, Integer.toString(i)));
                case 1 -> responses.add(pipeline.get("p" + (i - 1)));
                case 2 -> responses.add(pipeline.incr("counter"));
                default -> responses.add(pipeline.strlen("p" + (i - 3)));
            }
        }
        pipeline.sync();
        long expectedCounter = 0;
        for (int i = 0; i < 1000; i++) {
            Object value = responses.get(i).get();
            switch (i % 4) {
                case 0 -> assertThat(value).isEqualTo("OK");
                case 1 -> assertThat(value).isEqualTo(Integer.toString(i - 1));
                case 2 -> assertThat(value).isEqualTo(++expectedCounter);
                default -> assertThat(value).isEqualTo((long) Integer.toString(i - 3).length());
            }
        }
    }

    @Test
    void pipelinedReadsSeeTheConnectionsEarlierWrites() {
        Pipeline pipeline = jedis.pipelined();
        List<Response<String>> reads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pipeline.set("same", Integer.toString(i));
            reads.add(pipeline.get("same"));
        }
        pipeline.sync();
        for (int i = 0; i < 200; i++) {
            assertThat(reads.get(i).get()).isEqualTo(Integer.toString(i));
        }
    }
}
