package io.raftkv.kv.resp;

import io.netty.handler.codec.redis.RedisMessage;

/**
 * Stands in for a request, or one argument of it, that {@link RequestGuard} refused to buffer
 * because it broke a limit. It flows through the bulk string aggregator and
 * {@link RequestAssembler} like any argument, so the request is still answered in order, with
 * {@code error}, and the connection stays usable.
 *
 * @param error the error reply, starting with its code ("ERR ...")
 */
record RejectedRequest(String error) implements RedisMessage {
}
