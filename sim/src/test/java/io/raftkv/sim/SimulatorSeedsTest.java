package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The correct core over a few hundred seeds of faults, with the safety properties checked after
 * every event and liveness and linearizability at the end of each seed (R-LOG-6); half of the
 * seeds change the membership (thesis ch. 4). Longer runs: {@code ./raftkv sim --seeds 2000 --nodes 5},
 * or {@link SimulatorLongRunTest}, which also prints the membership counts.
 */
class SimulatorSeedsTest {

    private static void assertNoViolations(int nodes, int seeds, int events) throws InterruptedException {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        SimConfig template = SimConfig.defaults(1, nodes).withEvents(events);
        SimRunner.Summary summary = new SimRunner(template, CoreFactory.STANDARD, 2)
                .run(1, seeds, 1, new PrintStream(report, true, StandardCharsets.UTF_8));

        assertThat(summary.seeds()).isEqualTo(seeds);
        assertThat(summary.failures()).as(report.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void threeNodes() throws InterruptedException {
        assertNoViolations(3, 150, 10_000);
    }

    @Test
    void fiveNodes() throws InterruptedException {
        assertNoViolations(5, 100, 10_000);
    }

    @Test
    void sevenNodes() throws InterruptedException {
        assertNoViolations(7, 30, 10_000);
    }
}
