package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromMinToMaxWithJitterInTheUpperHalfOfEachStep() {
        for (long seed = 0; seed < 50; seed++) {
            Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), new SplittableRandom(seed));
            long step = 50;
            for (int attempt = 0; attempt < 12; attempt++) {
                long delay = backoff.nextDelayMillis();
                assertThat(delay).as("attempt %d, seed %d", attempt, seed).isBetween(step / 2, step);
                step = Math.min(2000, step * 2);
            }
        }
    }

    @Test
    void resetStartsOverAtTheFirstStep() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), new SplittableRandom(1));
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayMillis();
        }
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isBetween(25L, 50L);
    }

    @Test
    void delaysDifferAcrossPeersThatFailTogether() {
        long first = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(2), new SplittableRandom(1)).nextDelayMillis();
        boolean differs = false;
        for (long seed = 2; seed < 20 && !differs; seed++) {
            differs = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(2), new SplittableRandom(seed))
                    .nextDelayMillis() != first;
        }
        assertThat(differs).as("jitter spreads reconnects").isTrue();
    }

    @Test
    void rejectsAnInvertedRange() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofMillis(50), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
