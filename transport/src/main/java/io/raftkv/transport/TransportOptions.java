package io.raftkv.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and tuning of a {@link NettyPeerTransport}. Every limit bounds memory or time for one peer
 * (R-OPS-5); the reason for each is on its component below. Build with {@link #builder()}, which
 * starts from the defaults.
 *
 * @param maxFrameBytes            largest frame sent or accepted (the length prefix's value). Must exceed
 *                                 the core's snapshot chunk (1 MiB) and AppendEntries byte limit (1 MiB) plus
 *                                 headers and a configuration; 16 MiB leaves room for larger entries. A
 *                                 message that does not fit is dropped as {@link DropReason#OVERSIZED}.
 * @param maxEntriesPerFrame       largest entry count in one AppendEntries frame; bounds the objects one
 *                                 frame can make a receiver allocate
 * @param controlMessageBytesMax   a message whose frame is larger goes on the bulk connection even if its
 *                                 kind is a control kind, so one large message cannot delay heartbeats
 * @param controlQueueMessages     messages queued per peer for the control connection; heartbeats and
 *                                 votes are resent by Raft, so a short queue loses nothing of value
 * @param controlQueueBytes        bytes queued per peer for the control connection
 * @param bulkQueueMessages        messages queued per peer for the bulk connection
 * @param bulkQueueBytes           bytes queued per peer for the bulk connection; at least maxFrameBytes, so
 *                                 any message that fits a frame also fits the queue. The core bounds its
 *                                 own window (maxInflightAppends), this bounds what the network holds.
 * @param controlWriteBufferLowBytes  Netty low water mark for the control connection
 * @param controlWriteBufferHighBytes Netty high water mark for the control connection: above it the
 *                                 transport stops writing and holds messages in the bounded queue
 * @param bulkWriteBufferLowBytes  Netty low water mark for the bulk connection
 * @param bulkWriteBufferHighBytes Netty high water mark for the bulk connection; a few chunks, enough to
 *                                 keep a fast link busy
 * @param reconnectBackoffMin      first delay before reconnecting after a failure; short, so a restarted
 *                                 peer is reached again within a heartbeat or two
 * @param reconnectBackoffMax      cap of the exponential backoff; well below an election timeout
 *                                 multiple, so a returning peer is not ignored for long
 * @param connectTimeout           how long a connection attempt may take before it counts as failed
 * @param ioThreads                Netty worker threads serving all connections, inbound and outbound
 */
public record TransportOptions(int maxFrameBytes, int maxEntriesPerFrame, int controlMessageBytesMax,
                               int controlQueueMessages, long controlQueueBytes,
                               int bulkQueueMessages, long bulkQueueBytes,
                               int controlWriteBufferLowBytes, int controlWriteBufferHighBytes,
                               int bulkWriteBufferLowBytes, int bulkWriteBufferHighBytes,
                               Duration reconnectBackoffMin, Duration reconnectBackoffMax,
                               Duration connectTimeout, int ioThreads) {

    public TransportOptions {
        Objects.requireNonNull(reconnectBackoffMin, "reconnectBackoffMin");
        Objects.requireNonNull(reconnectBackoffMax, "reconnectBackoffMax");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (maxFrameBytes < PeerMessageCodec.MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be >= " + PeerMessageCodec.MIN_FRAME_BYTES);
        }
        if (maxEntriesPerFrame < 1) {
            throw new IllegalArgumentException("maxEntriesPerFrame must be >= 1");
        }
        if (controlMessageBytesMax < 1 || controlMessageBytesMax > maxFrameBytes) {
            throw new IllegalArgumentException("controlMessageBytesMax must be in 1..maxFrameBytes");
        }
        if (controlQueueMessages < 1 || bulkQueueMessages < 1) {
            throw new IllegalArgumentException("queue message limits must be >= 1");
        }
        if (controlQueueBytes < controlMessageBytesMax + PeerMessageCodec.LENGTH_FIELD_BYTES) {
            throw new IllegalArgumentException("controlQueueBytes must hold the largest control message");
        }
        if (bulkQueueBytes < maxFrameBytes + (long) PeerMessageCodec.LENGTH_FIELD_BYTES) {
            throw new IllegalArgumentException("bulkQueueBytes must hold the largest frame");
        }
        if (controlWriteBufferLowBytes < 1 || controlWriteBufferLowBytes > controlWriteBufferHighBytes
                || bulkWriteBufferLowBytes < 1 || bulkWriteBufferLowBytes > bulkWriteBufferHighBytes) {
            throw new IllegalArgumentException("write buffer water marks need 1 <= low <= high");
        }
        if (reconnectBackoffMin.toMillis() < 1 || reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            throw new IllegalArgumentException("reconnect backoff needs 1 ms <= min <= max");
        }
        if (connectTimeout.toMillis() < 1 || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout must be between 1 ms and Integer.MAX_VALUE ms");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be >= 1");
        }
    }

    /** The defaults. */
    public static TransportOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The codec these options describe. */
    public PeerMessageCodec codec() {
        return new PeerMessageCodec(maxFrameBytes, maxEntriesPerFrame);
    }

    /** Names what a caller changes and keeps the defaults for the rest. */
    public static final class Builder {
        private int maxFrameBytes = PeerMessageCodec.DEFAULT_MAX_FRAME_BYTES;
        private int maxEntriesPerFrame = PeerMessageCodec.DEFAULT_MAX_ENTRIES_PER_FRAME;
        private int controlMessageBytesMax = 64 << 10;
        private int controlQueueMessages = 4096;
        private long controlQueueBytes = 4L << 20;
        private int bulkQueueMessages = 1024;
        private long bulkQueueBytes = 64L << 20;
        private int controlWriteBufferLowBytes = 64 << 10;
        private int controlWriteBufferHighBytes = 256 << 10;
        private int bulkWriteBufferLowBytes = 1 << 20;
        private int bulkWriteBufferHighBytes = 4 << 20;
        private Duration reconnectBackoffMin = Duration.ofMillis(50);
        private Duration reconnectBackoffMax = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int ioThreads = 2;

        private Builder() {}

        public Builder maxFrameBytes(int value) {
            maxFrameBytes = value;
            return this;
        }

        public Builder maxEntriesPerFrame(int value) {
            maxEntriesPerFrame = value;
            return this;
        }

        public Builder controlMessageBytesMax(int value) {
            controlMessageBytesMax = value;
            return this;
        }

        public Builder controlQueue(int messages, long bytes) {
            controlQueueMessages = messages;
            controlQueueBytes = bytes;
            return this;
        }

        public Builder bulkQueue(int messages, long bytes) {
            bulkQueueMessages = messages;
            bulkQueueBytes = bytes;
            return this;
        }

        public Builder controlWriteBuffer(int lowBytes, int highBytes) {
            controlWriteBufferLowBytes = lowBytes;
            controlWriteBufferHighBytes = highBytes;
            return this;
        }

        public Builder bulkWriteBuffer(int lowBytes, int highBytes) {
            bulkWriteBufferLowBytes = lowBytes;
            bulkWriteBufferHighBytes = highBytes;
            return this;
        }

        public Builder reconnectBackoff(Duration min, Duration max) {
            reconnectBackoffMin = min;
            reconnectBackoffMax = max;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        public TransportOptions build() {
            return new TransportOptions(maxFrameBytes, maxEntriesPerFrame, controlMessageBytesMax,
                    controlQueueMessages, controlQueueBytes, bulkQueueMessages, bulkQueueBytes,
                    controlWriteBufferLowBytes, controlWriteBufferHighBytes, bulkWriteBufferLowBytes,
                    bulkWriteBufferHighBytes, reconnectBackoffMin, reconnectBackoffMax, connectTimeout, ioThreads);
        }
    }
}
