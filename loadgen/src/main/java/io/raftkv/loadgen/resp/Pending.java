package io.raftkv.loadgen.resp;

import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.raftkv.loadgen.OperationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request waiting for its reply on a {@link RespConnection}. Replies come in request order, so a
 * request whose timeout expired stays queued (its future already failed) until its reply arrives
 * and is dropped.
 */
final class Pending {
    /** What the caller wants from the reply. */
    enum Expect {
        /** Any non-error reply completes with null (SET). */
        ACK,
        /** Completes with true unless the reply is a nil bulk string (GET). */
        FOUND,
        /** Completes with the reply as Java values: String, Long, List, or null. */
        VALUE
    }

    final Expect expect;
    final byte[][] args;
    final CompletableFuture<Object> future = new CompletableFuture<>();
    /** When the request was written (or queued, before a connection existed). */
    final long queuedNanos = System.nanoTime();

    Pending(Expect expect, byte[][] args) {
        this.expect = expect;
        this.args = args;
    }

    void complete(RedisMessage reply) {
        if (reply instanceof ErrorRedisMessage error) {
            future.completeExceptionally(new OperationException(RespErrors.kindOf(error.content()), error.content()));
            return;
        }
        switch (expect) {
            case ACK -> future.complete(null);
            case FOUND -> future.complete(!(reply instanceof FullBulkStringRedisMessage bulk && bulk.isNull()));
            case VALUE -> future.complete(toJava(reply));
            default -> throw new IllegalStateException("unknown expectation " + expect);
        }
    }

    void fail(String kind, String message) {
        future.completeExceptionally(new OperationException(kind, message));
    }

    static Object toJava(RedisMessage reply) {
        if (reply instanceof SimpleStringRedisMessage simple) {
            return simple.content();
        }
        if (reply instanceof IntegerRedisMessage integer) {
            return integer.value();
        }
        if (reply instanceof FullBulkStringRedisMessage bulk) {
            return bulk.isNull() ? null : bulk.content().toString(StandardCharsets.UTF_8);
        }
        if (reply instanceof ArrayRedisMessage array) {
            if (array.isNull()) {
                return null;
            }
            List<Object> items = new ArrayList<>();
            array.children().forEach(child -> items.add(toJava(child)));
            return items;
        }
        if (reply instanceof ErrorRedisMessage error) {
            return new OperationException(RespErrors.kindOf(error.content()), error.content());
        }
        return String.valueOf(reply);
    }
}
