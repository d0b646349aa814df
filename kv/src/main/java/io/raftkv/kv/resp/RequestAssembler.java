package io.raftkv.kv.resp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the arguments of one request into an {@link ArrayRedisMessage}: the job of Netty's
 * {@code RedisArrayAggregator}, which we do not use because (as of 4.1.115) it never releases the
 * arguments of a request cut off by a disconnect or a protocol error, leaking their buffers. It
 * can be this simple because {@link RequestGuard} before it admits only flat arrays of bulk strings
 * (or {@link RejectedRequest} placeholders), at most {@code ARGUMENTS_PER_COMMAND_MAX} long.
 */
final class RequestAssembler extends ChannelInboundHandlerAdapter {

    /** Arguments of the request being assembled; null between requests. */
    private List<RedisMessage> arguments;
    private int expected;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ArrayHeaderRedisMessage header) {
            long length = header.length();
            if (length < 0) {
                ctx.fireChannelRead(ArrayRedisMessage.NULL_INSTANCE);
            } else if (length == 0) {
                ctx.fireChannelRead(ArrayRedisMessage.EMPTY_INSTANCE);
            } else {
                expected = (int) length;
                arguments = new ArrayList<>(expected);
            }
            return;
        }
        if (arguments == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        arguments.add((RedisMessage) msg);
        if (arguments.size() == expected) {
            ArrayRedisMessage request = new ArrayRedisMessage(arguments);
            arguments = null;
            ctx.fireChannelRead(request);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePartialRequest();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePartialRequest();
    }

    private void releasePartialRequest() {
        if (arguments != null) {
            arguments.forEach(ReferenceCountUtil::release);
            arguments = null;
        }
    }
}
