package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.NodeId;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {
    private static final PeerMessage MESSAGE = new AppMessage(NodeId.of("a"), NodeId.of("b"), 0, new byte[0]);

    @Test
    void refusesBeyondTheMessageBound() {
        OutboundQueue queue = new OutboundQueue(2, 1000);
        assertThat(queue.offer(MESSAGE, 10)).isTrue();
        assertThat(queue.offer(MESSAGE, 10)).isTrue();
        assertThat(queue.offer(MESSAGE, 10)).isFalse();
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.bytes()).isEqualTo(20);
    }

    @Test
    void refusesBeyondTheByteBoundButAcceptsSmallerMessages() {
        OutboundQueue queue = new OutboundQueue(100, 1000);
        assertThat(queue.offer(MESSAGE, 900)).isTrue();
        assertThat(queue.offer(MESSAGE, 101)).isFalse();
        assertThat(queue.offer(MESSAGE, 100)).isTrue();
        assertThat(queue.bytes()).isEqualTo(1000);
    }

    @Test
    void pollsInOrderAndReleasesBytes() {
        OutboundQueue queue = new OutboundQueue(10, 1000);
        queue.offer(MESSAGE, 1);
        queue.offer(MESSAGE, 2);
        assertThat(queue.poll().frameBytes()).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(2);
        assertThat(queue.poll().frameBytes()).isEqualTo(2);
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void clearReturnsWhatWasQueued() {
        OutboundQueue queue = new OutboundQueue(10, 1000);
        queue.offer(MESSAGE, 5);
        queue.offer(MESSAGE, 5);
        assertThat(queue.clear()).hasSize(2);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
        assertThat(queue.offer(MESSAGE, 1000)).isTrue();
    }
}
