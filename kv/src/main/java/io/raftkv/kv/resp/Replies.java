package io.raftkv.kv.resp;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvBackendException;
import io.raftkv.kv.KvResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Builds RESP replies: from {@link KvResult}s, and from failures. The failure replies are the
 * error codes documented in docs/kv.md; each says whether the command was certainly not applied.
 */
final class Replies {

    static final RedisMessage OK = new SimpleStringRedisMessage("OK");
    static final RedisMessage PONG = new SimpleStringRedisMessage("PONG");

    private Replies() {
    }

    /** A status reply ({@code +text}); the text must not hold CR or LF. */
    static RedisMessage simple(String text) {
        return new SimpleStringRedisMessage(text.replace('\r', ' ').replace('\n', ' '));
    }

    static RedisMessage nil() {
        return FullBulkStringRedisMessage.NULL_INSTANCE;
    }

    static RedisMessage bulk(Bytes value) {
        return value.isEmpty() ? FullBulkStringRedisMessage.EMPTY_INSTANCE
                : new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(value.asReadOnlyByteBuffer()));
    }

    static RedisMessage bulk(String text) {
        return new FullBulkStringRedisMessage(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    static RedisMessage integer(long value) {
        return new IntegerRedisMessage(value);
    }

    static RedisMessage array(List<? extends RedisMessage> elements) {
        return elements.isEmpty() ? ArrayRedisMessage.EMPTY_INSTANCE : new ArrayRedisMessage(new ArrayList<>(elements));
    }

    /** An error reply; CR and LF are replaced so the message stays one RESP line. */
    static RedisMessage error(String message) {
        return new ErrorRedisMessage(message.replace('\r', ' ').replace('\n', ' '));
    }

    /** The RESP form of a state machine result. */
    static RedisMessage of(KvResult result) {
        if (result instanceof KvResult.Ok) {
            return OK;
        } else if (result instanceof KvResult.Nil) {
            return nil();
        } else if (result instanceof KvResult.IntegerReply integer) {
            return integer(integer.value());
        } else if (result instanceof KvResult.BulkReply bulk) {
            return bulk(bulk.value());
        } else if (result instanceof KvResult.ArrayReply array) {
            List<RedisMessage> elements = new ArrayList<>(array.elements().size());
            array.elements().forEach(element -> elements.add(of(element)));
            return array(elements);
        } else {
            return error(((KvResult.ErrorReply) result).message());
        }
    }

    /** The reply for a write that failed with {@code failure}. */
    static RedisMessage writeFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof KvBackendException.NotLeader notLeader) {
            return error(notLeaderText(notLeader) + " the command was not applied; send it to the leader");
        } else if (cause instanceof KvBackendException.NoLeader noLeader) {
            return error("TRYAGAIN no leader: " + noLeader.getMessage() + "; the command was not applied, retry later");
        } else if (cause instanceof KvBackendException.Busy busy) {
            return error("BUSY " + busy.getMessage() + "; the command was not applied, retry later");
        } else if (cause instanceof KvBackendException.UnknownOutcome unknown) {
            return error("UNKNOWN " + unknown.getMessage() + "; the command may or may not have been applied");
        } else if (cause instanceof KvBackendException.Stopped stopped) {
            return error("ERR node stopped: " + stopped.getMessage() + "; the command was not applied");
        }
        return error("UNKNOWN internal error (" + cause + "); the command may or may not have been applied");
    }

    /**
     * The reply for a failed {@code RAFT} request: the retryable failures as for a write (they
     * changed nothing), a request that can never succeed as asked as {@code -ERR}.
     */
    static RedisMessage adminFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof KvBackendException.NotLeader notLeader) {
            return error(notLeaderText(notLeader) + " send it to the leader");
        } else if (cause instanceof KvBackendException.NoLeader noLeader) {
            return error("TRYAGAIN no leader: " + noLeader.getMessage() + "; retry later");
        } else if (cause instanceof KvBackendException.Busy busy) {
            return error("BUSY " + busy.getMessage());
        } else if (cause instanceof IllegalArgumentException refused) {
            return error("ERR " + refused.getMessage());
        }
        return writeFailure(cause);
    }

    /** The reply for a read whose barrier failed with {@code failure}; reads change nothing, so all are retryable. */
    static RedisMessage readFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof KvBackendException.NotLeader notLeader) {
            return error(notLeaderText(notLeader) + " read from the leader");
        } else if (cause instanceof KvBackendException.Busy busy) {
            return error("BUSY " + busy.getMessage() + "; retry later");
        } else if (cause instanceof KvBackendException.Stopped stopped) {
            return error("ERR node stopped: " + stopped.getMessage());
        } else if (cause instanceof KvBackendException) {
            return error("TRYAGAIN read could not be confirmed: " + cause.getMessage() + "; retry later");
        }
        return error("ERR internal error (" + cause + ")");
    }

    private static String notLeaderText(KvBackendException.NotLeader notLeader) {
        return "NOTLEADER leader=" + notLeader.leaderId()
                + notLeader.leaderAddress().map(address -> " addr=" + address).orElse("");
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
