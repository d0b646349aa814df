package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchTrialsTest {
    @Test
    void nearestRankPercentilesOfTwentyTrials() {
        BenchTrials trials = new BenchTrials("failover");
        for (int i = 20; i >= 1; i--) {
            trials.add(i * 10);
        }

        assertThat(trials.percentile(50)).isEqualTo(100);
        assertThat(trials.percentile(90)).isEqualTo(180);
        assertThat(trials.percentile(99)).as("p99 of 20 samples is the largest").isEqualTo(200);
        assertThat(trials.percentile(0)).isEqualTo(10);
        assertThat(trials.summary()).contains("median 100 ms").contains("p99 200 ms").contains("20 trials");
        assertThat(trials.json()).contains("\"medianMillis\": 100.0").contains("\"trials\": 20");
    }

    @Test
    void noTrialsGiveNoFigures() {
        BenchTrials trials = new BenchTrials("none");

        assertThat(trials.percentile(50)).isNaN();
        assertThat(trials.json()).contains("\"medianMillis\": null");
    }
}
