package io.raftkv.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {
    private static Object report(String system, String mode, double readRatio, int clients, double opsPerSecond,
                                 double p50) {
        String op = readRatio == 0 ? "write" : "read";
        return Json.parse("{\"system\": \"" + system + "\", \"config\": {\"clients\": " + clients
                + ", \"valueBytes\": 100, \"readRatio\": " + readRatio + ", \"readMode\": \"" + mode + "\"},"
                + " \"opsPerSecond\": " + opsPerSecond + ", \"errorCount\": 0, \"ops\": {\"" + op
                + "\": {\"latencyMicros\": {\"p50\": " + p50 + ", \"p99\": " + (p50 * 3) + "}}}}");
    }

    @Test
    void linesUpBothSystemsPerShapeWithTheRatio() {
        String table = ComparisonTable.render(List.of(
                report("etcd", "linearizable", 0, 64, 1_000, 30_000),
                report("raftkv", "linearizable", 0, 64, 5_000, 6_000),
                report("raftkv", "stale", 1, 1, 900, 1_000),
                report("etcd", "serializable", 1, 1, 300, 2_000)), "raftkv", "etcd");

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).startsWith("| writes | 100 B | 64 | 5,000 | 1,000 | 5.00× | 6.00 | 30.0 | 18.0 | 90.0 |");
        assertThat(lines.get(3)).startsWith("| stale/serializable reads | 100 B | 1 | 900 | 300 | 3.00× |");
    }

    @Test
    void aShapeMeasuredForOneSystemOnlyShowsDashes() {
        String table = ComparisonTable.render(List.of(report("raftkv", "linearizable", 1, 16, 2_000, 500)),
                "raftkv", "etcd");

        assertThat(table.lines().toList().get(2)).contains("| 2,000 | – | – |");
    }
}
