package io.raftkv.kv.resp;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.raftkv.kv.Bytes;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what Netty's aggregators deliver into a request's arguments: an array of bulk strings
 * (checked by {@link RequestGuard}), or an inline command split on blanks. The bytes are copied out,
 * so the Netty message can be released right after.
 */
final class RespRequests {

    private RespRequests() {
    }

    /**
     * One request: its arguments (name first), or the error it was refused with.
     *
     * @param arguments the arguments, empty when refused
     * @param rejection the error reply, or null when accepted
     */
    record Request(List<Bytes> arguments, String rejection) {
        static Request refused(String error) {
            return new Request(List.of(), error);
        }

        boolean isRefused() {
            return rejection != null;
        }

        long sizeBytes() {
            long bytes = 0;
            for (Bytes argument : arguments) {
                bytes += argument.length() + RespServerConfig.ARGUMENT_OVERHEAD_BYTES;
            }
            return bytes;
        }
    }

    /** The request {@code msg} carries, or null for nothing to do (an empty request). */
    static Request parse(Object msg) {
        if (msg instanceof RejectedRequest rejected) {
            return Request.refused(rejected.error());
        }
        if (msg instanceof ArrayRedisMessage array) {
            if (array.isNull() || array.children().isEmpty()) {
                return null;
            }
            List<Bytes> arguments = new ArrayList<>(array.children().size());
            for (RedisMessage child : array.children()) {
                if (child instanceof RejectedRequest rejected) {
                    return Request.refused(rejected.error());
                }
                FullBulkStringRedisMessage bulk = (FullBulkStringRedisMessage) child;
                arguments.add(Bytes.wrapOwned(ByteBufUtil.getBytes(bulk.content())));
            }
            return new Request(arguments, null);
        }
        if (msg instanceof InlineCommandRedisMessage inline) {
            String[] words = inline.content().trim().split("[ \t]+");
            if (words.length == 0 || words[0].isEmpty()) {
                return null;
            }
            List<Bytes> arguments = new ArrayList<>(words.length);
            for (String word : words) {
                arguments.add(Bytes.utf8(word));
            }
            return new Request(arguments, null);
        }
        return Request.refused("ERR Protocol error: unexpected " + msg.getClass().getSimpleName());
    }
}
