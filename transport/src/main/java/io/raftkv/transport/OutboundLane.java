package io.raftkv.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.raftkv.core.NodeId;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound connection: to one peer, for one {@link TrafficClass}, with its bounded queue.
 *
 * <p>{@link #send} runs on the caller's thread (the Raft loop) and only queues; everything else runs
 * on the lane's own event loop, so the connection state needs no locks. States:
 * <pre>
 *   IDLE --send--> CONNECTING --ok--> CONNECTED --lost--> BACKING_OFF --delay--> IDLE
 *                       \--failed-----------------------------^
 *   CONNECTED, BACKING_OFF --moveTo(new address)--> IDLE   (no backoff: the old address was the problem)
 *   any --close--> CLOSED
 * </pre>
 * Connecting is lazy: a lane connects only when it has something to send. While BACKING_OFF the peer
 * is known to be unreachable, so sends are dropped at once ({@link DropReason#PEER_UNREACHABLE}) and
 * whatever was queued is dropped on entering the state: Raft resends fresher messages once the peer
 * is back, and a stale backlog would only delay them.
 *
 * <p>Writes are batched: any number of sends between two runs of the event loop's task queue cost one
 * drain task and one flush. Flow control: the lane writes only while the channel is writable (below
 * the class's high water mark) and holds the rest in its bounded queue until Netty reports the channel
 * writable again.
 */
final class OutboundLane {
    private static final Logger log = LoggerFactory.getLogger(OutboundLane.class);

    private enum State { IDLE, CONNECTING, CONNECTED, BACKING_OFF, CLOSED }

    private final NodeId self;
    private final NodeId peer;
    private final TrafficClass trafficClass;
    private final EventLoop eventLoop;
    private final Bootstrap bootstrap;
    private final OutboundQueue queue;
    private final Backoff backoff;
    private final TransportCounters counters;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    /**
     * Written only on the event loop (or, once the I/O threads are gone, by whoever finds them gone);
     * read by {@link #send} from any thread.
     */
    private volatile State state = State.IDLE;
    /** Written only on the event loop; read by {@link #stats()} from any thread. */
    private volatile InetSocketAddress address;
    /** The established connection, non-null exactly while CONNECTED; written only on the event loop. */
    private volatile Channel channel;
    /** An attempt failed or a connection was lost: the next attempt counts as a reconnect. */
    private boolean hadFailure;
    /** The current outage was already logged at INFO; further failed attempts log at DEBUG. */
    private boolean outageLogged;
    /** The connection is being closed to move to a new address: go straight back to IDLE. */
    private boolean movingAddress;

    /**
     * @param bootstrap a bootstrap bound to {@code eventLoop}, whose handler ends with an
     *                  {@link OutboundChannelHandler} for this lane
     */
    OutboundLane(NodeId self, NodeId peer, TrafficClass trafficClass, InetSocketAddress address, EventLoop eventLoop,
                 Bootstrap bootstrap, OutboundQueue queue, Backoff backoff, TransportCounters counters) {
        this.self = self;
        this.peer = peer;
        this.trafficClass = trafficClass;
        this.address = address;
        this.eventLoop = eventLoop;
        this.bootstrap = bootstrap;
        this.queue = queue;
        this.backoff = backoff;
        this.counters = counters;
    }

    /** Queues a message, or drops and counts it. Any thread; never blocks. */
    void send(PeerMessage message, long frameBytes) {
        State current = state;
        if (current == State.CLOSED) {
            counters.dropped(DropReason.CLOSED);
        } else if (current == State.BACKING_OFF) {
            counters.dropped(DropReason.PEER_UNREACHABLE);
        } else if (!queue.offer(message, frameBytes)) {
            counters.dropped(DropReason.QUEUE_FULL);
        } else {
            scheduleDrain();
        }
    }

    /** Moves the lane to a new address; an established connection to the old one is closed. Any thread. */
    void moveTo(InetSocketAddress newAddress) {
        runOnLoop(() -> {
            if (newAddress.equals(address) || state == State.CLOSED) {
                return;
            }
            address = newAddress;
            backoff.reset();
            if (state == State.CONNECTED) {
                movingAddress = true;
                channel.close();
            } else if (state == State.BACKING_OFF) {
                becomeIdle();
            }
            // CONNECTING: onConnectDone sees the address changed and starts over.
        });
    }

    /** Closes the connection and drops what is queued. Any thread; idempotent. */
    void close() {
        runOnLoop(() -> {
            state = State.CLOSED;
            dropQueued(DropReason.CLOSED);
            Channel current = channel;
            if (current != null) {
                current.close();
            }
        });
    }

    /** Called by the channel's handler, on the event loop, when the channel is writable again. */
    void onWritable() {
        if (state == State.CONNECTED) {
            writeQueued();
        }
    }

    LaneStats stats() {
        Channel current = channel;
        long pending = 0;
        if (current != null) {
            ChannelOutboundBuffer buffer = current.unsafe().outboundBuffer();
            pending = buffer == null ? 0 : buffer.totalPendingWriteBytes();
        }
        return new LaneStats(current != null && current.isActive(), queue.size(), queue.bytes(), pending);
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public String toString() {
        return trafficClass.name().toLowerCase(Locale.ROOT) + " connection to " + peer + " at " + address;
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            runOnLoop(this::drain);
        }
    }

    private void runOnLoop(Runnable task) {
        try {
            eventLoop.execute(task);
        } catch (RejectedExecutionException e) {
            // The I/O threads are shutting down: the transport is closing, so is this lane.
            state = State.CLOSED;
            dropQueued(DropReason.CLOSED);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        switch (state) {
            case IDLE -> {
                if (!queue.isEmpty()) {
                    connect();
                }
            }
            case CONNECTED -> writeQueued();
            // A send that raced with close() queued after the queue was cleared: drop it now.
            case CLOSED -> dropQueued(DropReason.CLOSED);
            case CONNECTING, BACKING_OFF -> { }
        }
    }

    private void connect() {
        InetSocketAddress target = address;
        state = State.CONNECTING;
        if (hadFailure) {
            counters.reconnect();
        }
        bootstrap.connect(target).addListener((ChannelFutureListener) future -> onConnectDone(future, target));
    }

    private void onConnectDone(ChannelFuture future, InetSocketAddress target) {
        if (state != State.CONNECTING) {
            future.channel().close(); // closed meanwhile
            return;
        }
        if (!target.equals(address)) {
            future.channel().close(); // moved meanwhile: start over at the new address
            becomeIdle();
            return;
        }
        if (!future.isSuccess()) {
            logUnreachable(future.cause());
            enterBackoff();
            return;
        }
        Channel connected = future.channel();
        channel = connected;
        state = State.CONNECTED;
        backoff.reset();
        counters.connectionEstablished();
        if (outageLogged) {
            log.info("[{}] {} established again", self, this);
        } else {
            log.debug("[{}] {} established", self, this);
        }
        outageLogged = false;
        connected.closeFuture().addListener((ChannelFutureListener) closed -> onClosed(closed.channel()));
        writeQueued();
    }

    private void onClosed(Channel closed) {
        if (closed != channel) {
            return;
        }
        channel = null;
        if (state == State.CLOSED) {
            return;
        }
        if (movingAddress) {
            movingAddress = false;
            becomeIdle();
            return;
        }
        log.info("[{}] lost {}; reconnecting with backoff", self, this);
        outageLogged = true;
        enterBackoff();
    }

    private void logUnreachable(Throwable cause) {
        String reason = cause == null ? "unknown" : cause.getMessage();
        if (outageLogged) {
            log.debug("[{}] {} failed again: {}", self, this, reason);
        } else {
            log.info("[{}] {} failed: {}; retrying with backoff", self, this, reason);
            outageLogged = true;
        }
    }

    private void enterBackoff() {
        state = State.BACKING_OFF;
        hadFailure = true;
        dropQueued(DropReason.PEER_UNREACHABLE);
        long delay = backoff.nextDelayMillis();
        try {
            eventLoop.schedule(() -> {
                if (state == State.BACKING_OFF) {
                    becomeIdle();
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("[{}] {} not rescheduled: the I/O threads are shutting down", self, this);
            state = State.CLOSED;
        }
    }

    private void becomeIdle() {
        state = State.IDLE;
        if (!queue.isEmpty()) {
            connect();
        }
    }

    /** Writes queued messages while the channel is writable, then flushes once for the whole batch. */
    private void writeQueued() {
        Channel current = channel;
        int written = 0;
        while (current.isWritable()) {
            OutboundQueue.Entry entry = queue.poll();
            if (entry == null) {
                break;
            }
            long frameBytes = entry.frameBytes();
            current.write(entry.message()).addListener((ChannelFutureListener) future -> {
                if (future.isSuccess()) {
                    counters.sent(frameBytes);
                } else {
                    counters.dropped(DropReason.CONNECTION_LOST);
                }
            });
            written++;
        }
        if (written > 0) {
            current.flush();
        }
    }

    private void dropQueued(DropReason reason) {
        int dropped = queue.clear().size();
        if (dropped > 0) {
            counters.dropped(reason, dropped);
        }
    }
}
