package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.loadgen.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** {@code raftkv bench kv} and {@code bench floor} against the real thing: three server processes, a real disk. */
@ExtendWith(LogsOnFailure.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BenchKvProcessTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void benchKvAgainstAThreeNodeClusterReportsOperationsAndNoErrors() throws Exception {
        Path json = dir.resolve("kv.json");
        int status;
        String output;
        try (ProcessCluster cluster = ProcessCluster.started(dir.resolve("cluster"), 3)) {
            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                status = Main.run("bench", "kv", "--endpoints", cluster.endpoints(), "--clients", "6",
                        "--connections", "3", "--read-ratio", "0.5", "--keys", "200", "--duration", "5s",
                        "--warmup", "1s", "--json", json.toString());
            } finally {
                System.setOut(original);
            }
            output = captured.toString(StandardCharsets.UTF_8);
            System.out.print(output);
        }

        assertThat(status).as("exit status; output:%n%s", output).isZero();
        assertThat(output).contains("[").contains("measure").contains("ops/s");
        Object report = Json.parse(Files.readString(json));
        assertThat(Json.path(report, "system")).isEqualTo("raftkv");
        assertThat(Json.number(report, 0, "ops", "write", "count")).as("writes").isPositive();
        assertThat(Json.number(report, 0, "ops", "read", "count")).as("reads").isPositive();
        assertThat(Json.number(report, -1, "errorCount")).as("errors: %s", Json.path(report, "errors")).isZero();
        assertThat(Json.number(report, -1, "ops", "read", "misses")).as("reads of preloaded keys that missed")
                .isZero();
        assertThat(Json.number(report, 0, "ops", "write", "latencyMicros", "p99"))
                .isGreaterThanOrEqualTo(Json.number(report, 0, "ops", "write", "latencyMicros", "p50")).isPositive();
    }

    @Test
    void benchFloorMeasuresTheDiskAndTheLoopbackRoundTrip() throws Exception {
        Path json = dir.resolve("floor.json");

        int status = Main.run("bench", "floor", "--dir", dir.toString(), "--seconds", "1", "--json", json.toString());

        assertThat(status).isZero();
        Object floor = Json.parse(Files.readString(json));
        assertThat(Json.number(floor, 0, "fsync", "p50Micros")).isPositive();
        assertThat(Json.number(floor, 0, "loopback", "p50Micros")).isPositive();
        assertThat(Json.number(floor, 0, "writeFloorP50Micros"))
                .isGreaterThanOrEqualTo(Json.number(floor, 0, "fsync", "p50Micros"));
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).as("scratch files removed")
                    .containsExactly("floor.json");
        }
    }
}
