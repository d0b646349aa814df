package io.raftkv.kv.resp;

import io.netty.handler.codec.redis.RedisMessage;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReadView;
import io.raftkv.kv.KvResult;
import io.raftkv.kv.ReadMode;
import java.util.function.Function;

/**
 * A parsed command, ready to run: what a command handler returns and {@link RespConnection}
 * executes. Parsing is thus a pure function of the arguments, testable without a network, and the
 * connection alone decides when and on which thread each kind runs.
 */
sealed interface Prepared {

    /** Answered at once on the connection's thread (PING, CLIENT, errors, ...). */
    record Immediate(RedisMessage reply, boolean closeAfterReply) implements Prepared {
        Immediate(RedisMessage reply) {
            this(reply, false);
        }
    }

    /** A read: wait for the barrier of {@code mode}, then render the reply from a read view. */
    record Read(ReadMode mode, Function<KvReadView, RedisMessage> render) implements Prepared {
    }

    /** A write: propose {@code command} in the connection's session, then render its result. */
    record Write(KvCommand command, Function<KvResult, RedisMessage> render) implements Prepared {
    }

    /** Cluster administration: run by the backend, answered with its reply text, in program order like a write. */
    record Admin(io.raftkv.kv.AdminRequest request) implements Prepared {
    }
}
