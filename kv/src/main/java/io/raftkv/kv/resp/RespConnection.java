package io.raftkv.kv.resp;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftkv.kv.KvResult;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: runs its commands and answers them in request order although writes and
 * reads complete asynchronously.
 *
 * <h2>Ordering</h2>
 * Every request gets a slot in {@code replyOrder}; replies are written only from the head, so
 * they leave in request order whatever order the node completes them in. Execution keeps a
 * connection's program order too: consecutive writes are pipelined (the backend proposes them in
 * order), consecutive reads share barriers, but a read waits for the connection's earlier writes
 * and a write for its earlier reads, so a pipeline {@code SET k v; GET k} reads its own write.
 *
 * <h2>Back-pressure (R-KV-3, R-OPS-5)</h2>
 * When the unanswered requests reach {@code pipelineDepthMax} or {@code pipelineBytesMax}, or the
 * socket's outbound buffer is full (a client that does not read), the connection stops reading
 * from the socket (autoRead off) and resumes at half the limit; TCP pushes back on the client.
 * The requests already in the last socket read are still taken, so the queue may exceed the limit
 * by one read's worth.
 *
 * <h2>Flushing</h2>
 * Replies produced while handling a socket read are flushed once at {@code channelReadComplete};
 * replies completed later are flushed once per completion task. Netty's
 * {@code FlushConsolidationHandler} in front coalesces further.
 *
 * <p>All state is confined to the channel's event loop.
 */
final class RespConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RespConnection.class);

    private final ServerContext server;
    private ChannelHandlerContext ctx;
    private ClientState client;
    private WriteSession writes;
    /** Every request not yet answered, in arrival order. */
    private final ArrayDeque<Slot> replyOrder = new ArrayDeque<>();
    /** Reads and writes not yet started, in arrival order. */
    private final ArrayDeque<Slot> notStarted = new ArrayDeque<>();
    private int readsInFlight;
    private int writesInFlight;
    /** Request bytes of the unanswered requests. */
    private long queuedBytes;
    private boolean readingPaused;
    private boolean wroteSinceFlush;
    /** QUIT, a protocol error, a refused connection, or the peer went away: take no more requests. */
    private boolean closing;
    private boolean counted;

    RespConnection(ServerContext server) {
        this.server = server;
    }

    private enum Kind { IMMEDIATE, READ, WRITE }

    /** One request's place in line. */
    private static final class Slot {
        final Prepared prepared;
        final Kind kind;
        final long requestBytes;
        /** The reply once known, until written. */
        RedisMessage reply;
        /** Set once the reply is known; a late second completion (after a timeout) is dropped. */
        boolean done;
        /** The connection closed before this slot was answered. */
        boolean abandoned;
        boolean closeAfterReply;
        ScheduledFuture<?> timeout;

        Slot(Prepared prepared, long requestBytes) {
            this.prepared = prepared;
            this.requestBytes = requestBytes;
            this.kind = prepared instanceof Prepared.Read ? Kind.READ
                    : prepared instanceof Prepared.Write || prepared instanceof Prepared.Admin ? Kind.WRITE
                    : Kind.IMMEDIATE;
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        ctx = context;
        server.stats.connectionsReceived.incrementAndGet();
        int connected = server.stats.connectedClients.incrementAndGet();
        counted = true;
        client = new ClientState(server.clientIds.incrementAndGet(), String.valueOf(context.channel().remoteAddress()),
                server.config.defaultReadMode());
        writes = new WriteSession(server, context.executor());
        if (connected > server.config.connectionsMax()) {
            server.stats.connectionsRejected.incrementAndGet();
            closing = true;
            log.warn("refusing client {} from {}: {} connections is the maximum", client.id, client.address,
                    server.config.connectionsMax());
            context.writeAndFlush(Replies.error("ERR max number of clients reached"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        log.debug("client {} connected from {}", client.id, client.address);
        super.channelActive(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        closing = true;
        if (counted) {
            server.stats.connectedClients.decrementAndGet();
            counted = false;
        }
        if (writes != null) {
            writes.close();
        }
        for (Slot slot : replyOrder) {
            slot.abandoned = true;
            ReferenceCountUtil.release(slot.reply);
            slot.reply = null;
            if (slot.timeout != null) {
                slot.timeout.cancel(false);
            }
        }
        log.debug("client {} disconnected with {} requests unanswered", client == null ? -1 : client.id,
                replyOrder.size());
        replyOrder.clear();
        notStarted.clear();
        super.channelInactive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (closing) {
                return;
            }
            RespRequests.Request request = RespRequests.parse(msg);
            if (request == null) {
                return;
            }
            if (request.isRefused()) {
                enqueue(new Slot(new Prepared.Immediate(Replies.error(request.rejection())), 0));
            } else {
                server.stats.commandsProcessed.incrementAndGet();
                enqueue(new Slot(server.commands.prepare(request.arguments(), client, server), request.sizeBytes()));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        flushIfNeeded();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        updateReading();
        super.channelWritabilityChanged(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (closing) {
            // Already closing (QUIT, an earlier protocol error): the decoder may still be chewing on
            // the rest of the last socket read. Nothing more to say to this client.
            log.debug("client {} from {} while closing: {}", clientId(), address(), cause.toString());
            return;
        }
        closing = true;
        if (cause instanceof PrematureChannelClosureException || cause instanceof IOException) {
            // The peer went away mid-request or reset the connection: normal life of a server.
            log.debug("client {} from {}: {}", clientId(), address(), cause.toString());
            context.close();
        } else if (cause instanceof DecoderException) {
            server.stats.protocolErrors.incrementAndGet();
            log.warn("closing client {} from {}: malformed RESP: {}", clientId(), address(), rootMessage(cause));
            context.channel().config().setAutoRead(false);
            context.writeAndFlush(Replies.error("ERR Protocol error: " + rootMessage(cause)))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            log.warn("closing client {} from {} after an unexpected error", clientId(), address(), cause);
            context.close();
        }
    }

    private void enqueue(Slot slot) {
        replyOrder.add(slot);
        queuedBytes += slot.requestBytes;
        if (slot.prepared instanceof Prepared.Immediate immediate) {
            slot.reply = immediate.reply();
            slot.done = true;
            slot.closeAfterReply = immediate.closeAfterReply();
            if (slot.closeAfterReply) {
                closing = true;
            }
        } else {
            notStarted.add(slot);
            startReady();
        }
        writeReadyReplies();
        updateReading();
    }

    /** Starts waiting reads and writes in order, as far as program order allows. */
    private void startReady() {
        while (!notStarted.isEmpty()) {
            Slot slot = notStarted.peek();
            if (slot.kind == Kind.READ) {
                if (writesInFlight > 0) {
                    return;
                }
                notStarted.poll();
                readsInFlight++;
                startRead(slot, (Prepared.Read) slot.prepared);
            } else {
                if (readsInFlight > 0) {
                    return;
                }
                notStarted.poll();
                writesInFlight++;
                if (slot.prepared instanceof Prepared.Admin admin) {
                    startAdmin(slot, admin);
                } else {
                    startWrite(slot, (Prepared.Write) slot.prepared);
                }
            }
        }
    }

    private void startRead(Slot slot, Prepared.Read read) {
        CompletableFuture<Void> barrier;
        try {
            barrier = server.backend.readBarrier(read.mode());
        } catch (RuntimeException e) {
            barrier = CompletableFuture.failedFuture(e);
        }
        long timeoutNanos = server.config.commandTimeout().toNanos();
        slot.timeout = ctx.executor().schedule(() -> complete(slot, Replies.error("TRYAGAIN read timed out after "
                + server.config.commandTimeout().toMillis() + " ms; retry later")), timeoutNanos, TimeUnit.NANOSECONDS);
        barrier.whenComplete((ignored, failure) -> ctx.executor().execute(() ->
                complete(slot, failure == null ? render(read) : Replies.readFailure(failure))));
    }

    private RedisMessage render(Prepared.Read read) {
        try {
            return read.render().apply(server.backend.stateMachine().readView());
        } catch (RuntimeException e) {
            log.error("read failed on client {}", clientId(), e);
            return Replies.error("ERR internal error (" + e + ")");
        }
    }

    private void startWrite(Slot slot, Prepared.Write write) {
        writes.submit(write.command()).whenComplete((result, failure) -> ctx.executor().execute(() ->
                complete(slot, failure == null ? renderResult(write, result) : Replies.writeFailure(failure))));
    }

    private void startAdmin(Slot slot, Prepared.Admin admin) {
        CompletableFuture<String> done;
        try {
            done = server.backend.administer(admin.request());
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((text, failure) -> ctx.executor().execute(() ->
                complete(slot, failure == null ? Replies.simple(text) : Replies.adminFailure(failure))));
    }

    private static RedisMessage renderResult(Prepared.Write write, KvResult result) {
        return write.render().apply(result);
    }

    /** A read or write finished; runs on the event loop. */
    private void complete(Slot slot, RedisMessage reply) {
        if (slot.done || slot.abandoned) {
            ReferenceCountUtil.release(reply);
            return;
        }
        slot.done = true;
        slot.reply = reply;
        if (slot.timeout != null) {
            slot.timeout.cancel(false);
        }
        if (slot.kind == Kind.READ) {
            readsInFlight--;
        } else {
            writesInFlight--;
        }
        writeReadyReplies();
        startReady();
        writeReadyReplies();
        flushIfNeeded();
        updateReading();
    }

    /** Writes the answered requests at the head of the line. */
    private void writeReadyReplies() {
        while (!replyOrder.isEmpty() && replyOrder.peek().done) {
            Slot slot = replyOrder.poll();
            queuedBytes -= slot.requestBytes;
            ctx.write(slot.reply);
            slot.reply = null;
            wroteSinceFlush = true;
            if (slot.closeAfterReply) {
                wroteSinceFlush = false;
                ctx.flush();
                ctx.close();
                return;
            }
        }
    }

    private void flushIfNeeded() {
        if (wroteSinceFlush) {
            wroteSinceFlush = false;
            ctx.flush();
        }
    }

    /** Pauses or resumes reading from the socket (see the class comment). */
    private void updateReading() {
        RespServerConfig config = server.config;
        boolean writable = ctx.channel().isWritable();
        if (!readingPaused && (replyOrder.size() >= config.pipelineDepthMax()
                || queuedBytes >= config.pipelineBytesMax() || !writable)) {
            readingPaused = true;
            ctx.channel().config().setAutoRead(false);
        } else if (readingPaused && !closing && writable && replyOrder.size() <= config.pipelineDepthMax() / 2
                && queuedBytes <= config.pipelineBytesMax() / 2) {
            readingPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    private long clientId() {
        return client == null ? -1 : client.id;
    }

    private String address() {
        return client == null ? "?" : client.address;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
