package io.raftkv.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.raftkv.loadgen.resp.RespDriver;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load generator against an in-process fake Redis-protocol server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadEngineTest {

    private static LoadConfig.Builder shape(FakeRespServer server) {
        return LoadConfig.builder(List.of(server.endpoint())).warmup(Duration.ZERO).keys(100).valueBytes(32)
                .timeout(Duration.ofSeconds(10));
    }

    private static LoadResult run(LoadConfig config) throws Exception {
        try (RespDriver driver = new RespDriver("fake", config.readMode(), config.timeout(), 2)) {
            return new LoadEngine(config, driver, null).run();
        }
    }

    @Test
    void closedLoopRunsExactlyTheTotalAndNeverMoreThanOneOperationPerClientAtOnce() throws Exception {
        try (FakeRespServer server = new FakeRespServer(FakeRespServer.store(1))) {
            LoadResult result = run(shape(server).clients(4).connections(2).totalOps(500).build());

            assertThat(result.ops().get(OpType.WRITE).count()).isEqualTo(500);
            assertThat(server.count("SET")).as("SETs the server received").isEqualTo(500);
            assertThat(server.maxInFlight.get()).as("requests the server held at once").isBetween(2L, 4L);
            assertThat(server.connections.get()).isEqualTo(2);
            assertThat(result.errorCount()).isZero();
            assertThat(result.opsPerSecond()).isPositive();
            OpSummary writes = result.ops().get(OpType.WRITE);
            assertThat(writes.p50Micros()).isPositive().isLessThanOrEqualTo(writes.p99Micros());
            assertThat(writes.p99Micros()).isLessThanOrEqualTo(writes.maxMicros());
            assertThat(writes.p50Micros()).as("the server delays each reply by 1 ms").isGreaterThanOrEqualTo(1_000);
        }
    }

    @Test
    void clientsSharingAConnectionPipelineTheirRequestsOnIt() throws Exception {
        try (FakeRespServer server = new FakeRespServer(FakeRespServer.store(20))) {
            LoadResult result = run(shape(server).clients(2).connections(1).pipeline(8).totalOps(400).build());

            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.maxInFlightPerConnection.get())
                    .as("2 clients x pipeline 8 on one connection, each reply delayed 20 ms").isEqualTo(16);
            assertThat(result.ops().get(OpType.WRITE).count()).isEqualTo(400);
        }
    }

    @Test
    void errorRepliesAreCountedByTheirCode() throws Exception {
        FakeRespServer.Behaviour byKey = (args, since, data) -> {
            char last = args.get(1).charAt(args.get(1).length() - 1);
            return new FakeRespServer.Reply(switch (last) {
                case '0' -> new ErrorRedisMessage("TRYAGAIN no leader: election in progress");
                case '1' -> new ErrorRedisMessage("BUSY proposal queue full");
                case '2' -> new ErrorRedisMessage("UNKNOWN timed out waiting for the outcome");
                case '3' -> new ErrorRedisMessage("NOTLEADER leader=n2 addr=127.0.0.1:7002");
                case '4' -> new ErrorRedisMessage("ERR value too large");
                case '5' -> new ErrorRedisMessage("something without a code");
                default -> new SimpleStringRedisMessage("OK");
            }, 0);
        };
        try (FakeRespServer server = new FakeRespServer(byKey)) {
            LoadResult result = run(shape(server).clients(4).keys(10).totalOps(2_000).build());

            OpSummary writes = result.ops().get(OpType.WRITE);
            assertThat(writes.errors()).containsOnlyKeys("TRYAGAIN", "BUSY", "UNKNOWN", "NOTLEADER", "ERR");
            assertThat(writes.count() + writes.errorCount()).isEqualTo(2_000);
            assertThat(writes.errors().get("ERR")).as("ERR and the reply without a code")
                    .isGreaterThan(writes.errors().get("BUSY"));
            assertThat(writes.count()).as("keys ending 6-9 succeed: about 40%").isBetween(500L, 1_100L);
            assertThat(writes.errorSamples()).containsEntry("NOTLEADER", "NOTLEADER leader=n2 addr=127.0.0.1:7002");
        }
    }

    @Test
    void requestsWithoutAReplyCountAsTimeouts() throws Exception {
        try (FakeRespServer server = new FakeRespServer((args, since, data) -> null)) {
            LoadResult result = run(shape(server).clients(2).duration(Duration.ofMillis(800))
                    .timeout(Duration.ofMillis(200)).build());

            assertThat(result.ops().get(OpType.WRITE).count()).isZero();
            assertThat(result.errors()).containsOnlyKeys(OperationException.TIMEOUT);
            assertThat(result.errors().get(OperationException.TIMEOUT)).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void anEndpointThatRefusesConnectionsCountsAsConnectionErrors() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LoadConfig config = LoadConfig.builder(List.of(new Endpoint("127.0.0.1", port))).warmup(Duration.ZERO)
                .clients(2).duration(Duration.ofMillis(500)).timeout(Duration.ofSeconds(2)).build();

        LoadResult result = run(config);

        assertThat(result.totalOps()).isZero();
        assertThat(result.errors()).containsOnlyKeys(OperationException.CONNECTION);
    }

    @Test
    void operationsStartedDuringTheWarmupAreNotMeasured() throws Exception {
        // Requests in the first 500 ms wait 800 ms for their reply, later ones 2 ms. The warm-up
        // (1.5 s) covers the slow ones entirely, so no measured latency comes near 800 ms.
        FakeRespServer.Behaviour slowStart = (args, since, data) -> new FakeRespServer.Reply(
                FakeRespServer.standard(args, data), since < TimeUnit.MILLISECONDS.toNanos(500) ? 800 : 2);
        try (FakeRespServer server = new FakeRespServer(slowStart)) {
            LoadResult result = run(shape(server).clients(2).warmup(Duration.ofMillis(1_500))
                    .duration(Duration.ofSeconds(1)).build());

            OpSummary writes = result.ops().get(OpType.WRITE);
            assertThat(writes.count()).isPositive().isLessThan(server.count("SET"));
            assertThat(writes.maxMicros()).as("the slow warm-up requests are excluded").isLessThan(500_000);
            assertThat(result.elapsedSeconds()).isBetween(0.9, 5.0);
        }
    }

    @Test
    void staleReadsSendReadonlyFirstOnEveryConnectionAndPreloadedReadsHit() throws Exception {
        try (FakeRespServer server = new FakeRespServer(FakeRespServer.store(0))) {
            LoadResult result = run(shape(server).clients(4).connections(2).readRatio(1).readMode(ReadMode.STALE)
                    .totalOps(300).build());

            assertThat(server.firstCommands).hasSize(2).containsOnly("READONLY");
            assertThat(server.count("SET")).as("preload of the 100 keys").isEqualTo(100);
            OpSummary reads = result.ops().get(OpType.READ);
            assertThat(reads.count()).isEqualTo(300);
            assertThat(reads.misses()).isZero();
            assertThat(result.ops()).doesNotContainKey(OpType.WRITE);
            assertThat(result.readModeLabel()).isEqualTo("stale");
        }
    }

    @Test
    void linearizableReadsWithoutPreloadMissAndSendNoReadonly() throws Exception {
        try (FakeRespServer server = new FakeRespServer(FakeRespServer.store(0))) {
            LoadResult result = run(shape(server).clients(2).readRatio(1).preload(false).totalOps(100).build());

            assertThat(server.count("READONLY")).isZero();
            assertThat(server.count("SET")).isZero();
            assertThat(result.ops().get(OpType.READ).misses()).isEqualTo(100);
        }
    }

    @Test
    void mixedLoadSplitsOperationsByTheReadRatio() throws Exception {
        try (FakeRespServer server = new FakeRespServer(FakeRespServer.store(0))) {
            LoadResult result = run(shape(server).clients(4).readRatio(0.25).totalOps(2_000).build());

            long reads = result.ops().get(OpType.READ).count();
            long writes = result.ops().get(OpType.WRITE).count();
            assertThat(reads + writes).isEqualTo(2_000);
            assertThat(reads).isBetween(350L, 650L);
        }
    }

    @Test
    void theJsonReportParsesAndCarriesTheFigures() throws Exception {
        try (FakeRespServer server = new FakeRespServer(FakeRespServer.store(1))) {
            LoadResult result = run(shape(server).clients(2).readRatio(0.5).totalOps(200).build());
            String text = ResultJson.write(result);

            JsonNode json = new ObjectMapper().readTree(text);
            assertThat(json.get("format").asInt()).isEqualTo(ResultJson.FORMAT);
            assertThat(json.get("system").asText()).isEqualTo("fake");
            assertThat(json.at("/config/clients").asInt()).isEqualTo(2);
            assertThat(json.at("/config/readRatio").asDouble()).isEqualTo(0.5);
            assertThat(json.at("/ops/write/count").asLong() + json.at("/ops/read/count").asLong()).isEqualTo(200);
            assertThat(json.at("/ops/read/latencyMicros/p99").asDouble())
                    .isGreaterThanOrEqualTo(json.at("/ops/read/latencyMicros/p50").asDouble()).isPositive();
            assertThat(json.get("errors").size()).isZero();
            // The project's own reader (used by `bench compare`) agrees.
            Object own = Json.parse(text);
            assertThat(Json.number(own, -1, "ops", "write", "count")).isEqualTo(json.at("/ops/write/count").asDouble());
            assertThat(Json.path(own, "config", "endpoints")).isEqualTo(List.of(server.endpoint().toString()));
        }
    }

    @Test
    void configRejectsMoreConnectionsThanClients() {
        assertThatThrownBy(() -> LoadConfig.builder(List.of(Endpoint.parse("127.0.0.1:1"))).clients(2).connections(3)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connections");
    }
}
