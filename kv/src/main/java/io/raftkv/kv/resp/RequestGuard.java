package io.raftkv.kv.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringRedisContent;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.LastBulkStringRedisContent;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * Enforces the request limits of R-KV-3 on the stream of RESP fragments, between Netty's
 * {@code RedisDecoder} (which streams a bulk string in chunks) and the aggregation after it (Netty's
 * bulk string aggregator would otherwise buffer up to 512 MiB per string, and a request may declare
 * any number of arguments).
 *
 * <ul>
 *   <li>A request must be an array of bulk strings, or an inline command. Anything else (a nested
 *       array, a null or integer argument, a top-level simple string) is a protocol error: the
 *       connection is closed, as Redis does.</li>
 *   <li>Too many arguments, or more argument bytes than {@code requestBytesMax}: the excess is
 *       discarded as it arrives and the request is answered with an error. The connection stays
 *       usable.</li>
 * </ul>
 *
 * It also resets the shared {@link UndecodedBytesLimit} whenever the decoder produces something,
 * which bounds how much the decoder can buffer while waiting for the end of a line.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {

    private final int argumentsMax;
    private final long requestBytesMax;
    private final UndecodedBytesLimit undecoded;

    /** Arguments still expected in the current request; 0 between requests. */
    private long remainingArguments;
    /** Argument bytes of the current request so far. */
    private long requestBytes;
    /** Non-null once the current request broke a limit: its error reply. */
    private String rejection;
    /** The whole request is swallowed (its array header never went downstream). */
    private boolean swallowWholeRequest;
    /** Inside the content of a bulk string argument. */
    private boolean inBulkContent;
    /** Whether the current bulk string's content goes downstream. */
    private boolean passingBulkContent;
    /** A protocol error was raised; the connection is closing and everything else is dropped. */
    private boolean failed;

    RequestGuard(int argumentsMax, long requestBytesMax, UndecodedBytesLimit undecoded) {
        this.argumentsMax = argumentsMax;
        this.requestBytesMax = requestBytesMax;
        this.undecoded = undecoded;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        undecoded.reset();
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inBulkContent) {
            readBulkContent(ctx, msg);
        } else if (remainingArguments == 0) {
            readRequestStart(ctx, msg);
        } else {
            readArgumentStart(ctx, msg);
        }
    }

    private void readRequestStart(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InlineCommandRedisMessage) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof ArrayHeaderRedisMessage header)) {
            throw protocolError(msg, "expected an array of bulk strings");
        }
        long length = header.length();
        if (length <= 0) {
            ctx.fireChannelRead(msg);
            return;
        }
        remainingArguments = length;
        requestBytes = 0;
        if (length > argumentsMax) {
            rejection = "ERR Protocol error: too many arguments (" + length + "; max " + argumentsMax + ")";
            swallowWholeRequest = true;
        } else {
            rejection = null;
            swallowWholeRequest = false;
            ctx.fireChannelRead(msg);
        }
    }

    private void readArgumentStart(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BulkStringHeaderRedisMessage header) {
            int length = header.bulkStringLength();
            requestBytes += length + RespServerConfig.ARGUMENT_OVERHEAD_BYTES;
            if (rejection == null && requestBytes > requestBytesMax) {
                rejection = "ERR request too large (more than " + requestBytesMax + " bytes of arguments)";
            }
            inBulkContent = true;
            passingBulkContent = rejection == null;
            if (passingBulkContent) {
                ctx.fireChannelRead(msg);
            }
            return;
        }
        if (msg instanceof FullBulkStringRedisMessage bulk && !bulk.isNull()) {
            requestBytes += RespServerConfig.ARGUMENT_OVERHEAD_BYTES;
            boolean passed = rejection == null;
            if (passed) {
                ctx.fireChannelRead(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
            argumentDone(ctx, passed);
            return;
        }
        throw protocolError(msg, "expected a bulk string argument");
    }

    private void readBulkContent(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof BulkStringRedisContent)) {
            throw protocolError(msg, "expected bulk string content");
        }
        boolean last = msg instanceof LastBulkStringRedisContent;
        if (passingBulkContent) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
        if (last) {
            inBulkContent = false;
            argumentDone(ctx, passingBulkContent);
        }
    }

    /** One argument is complete; {@code passed} says whether it went downstream. */
    private void argumentDone(ChannelHandlerContext ctx, boolean passed) {
        if (!passed && !swallowWholeRequest) {
            // Keep the array aggregator's count right: one placeholder per refused argument.
            ctx.fireChannelRead(new RejectedRequest(rejection));
        }
        remainingArguments--;
        if (remainingArguments == 0 && swallowWholeRequest) {
            ctx.fireChannelRead(new RejectedRequest(rejection));
            swallowWholeRequest = false;
        }
        if (remainingArguments == 0) {
            rejection = null;
        }
    }

    private CorruptedFrameException protocolError(Object msg, String expectation) {
        failed = true;
        String got;
        if (msg instanceof FullBulkStringRedisMessage bulk && bulk.isNull()) {
            got = "a null bulk string";
        } else if (msg instanceof RedisMessage) {
            got = msg.getClass().getSimpleName();
        } else {
            got = String.valueOf(msg);
        }
        ReferenceCountUtil.release(msg);
        return new CorruptedFrameException("Protocol error: " + expectation + ", got " + got);
    }

    /**
     * Counts bytes that reached the decoder since it last produced a message. Netty's
     * {@code RedisDecoder} buffers a length line ("*123", "$45") until its CRLF without any limit;
     * a peer that never sends the CRLF would make it buffer forever. Placed before the decoder.
     */
    static final class UndecodedBytesLimit extends ChannelInboundHandlerAdapter {
        /** Inline commands may be 64 KiB; one more socket read of slack, then some. */
        static final int UNDECODED_BYTES_MAX = 256 * 1024;

        private long undecodedBytes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buffer) {
                undecodedBytes += buffer.readableBytes();
                if (undecodedBytes > UNDECODED_BYTES_MAX) {
                    ReferenceCountUtil.release(msg);
                    throw new TooLongFrameException("Protocol error: more than " + UNDECODED_BYTES_MAX
                            + " bytes without a complete RESP element (unterminated line?)");
                }
            }
            ctx.fireChannelRead(msg);
        }

        void reset() {
            undecodedBytes = 0;
        }
    }
}
