package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportOptionsTest {
    @Test
    void defaultsLeaveRoomForMegabyteChunksAndBatches() {
        TransportOptions options = TransportOptions.defaults();
        assertThat(options.maxFrameBytes()).isEqualTo(16 << 20).isGreaterThan((1 << 20) + (64 << 10));
        assertThat(options.reconnectBackoffMin()).isEqualTo(Duration.ofMillis(50));
        assertThat(options.reconnectBackoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.bulkQueueBytes()).isGreaterThanOrEqualTo(options.maxFrameBytes());
    }

    @Test
    void rejectsInconsistentLimits() {
        assertThatThrownBy(() -> TransportOptions.builder().maxFrameBytes(100).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrameBytes");
        assertThatThrownBy(() -> TransportOptions.builder().bulkQueue(10, 1 << 20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bulkQueueBytes");
        assertThatThrownBy(() -> TransportOptions.builder().controlQueue(0, 1 << 20).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportOptions.builder().bulkWriteBuffer(10, 5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("water marks");
        assertThatThrownBy(() -> TransportOptions.builder()
                .reconnectBackoff(Duration.ofSeconds(3), Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportOptions.builder().controlMessageBytesMax(32 << 20).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
