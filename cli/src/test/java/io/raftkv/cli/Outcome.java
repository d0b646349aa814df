package io.raftkv.cli;

import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What a failed write tells the client about whether it was applied (docs/kv.md "Error codes"):
 * {@code -TRYAGAIN}, {@code -NOTLEADER}, {@code -BUSY}, {@code -ERR node stopped} and a refused
 * connection mean certainly not applied; {@code -UNKNOWN}, a timeout or a connection lost after
 * the request was sent mean the outcome is unknown; anything else is unexpected for a plain SET.
 */
enum Outcome {
    NOT_APPLIED, UNKNOWN, UNEXPECTED;

    static Outcome of(Throwable failure) {
        if (failure instanceof JedisDataException) {
            String message = String.valueOf(failure.getMessage());
            if (message.startsWith("TRYAGAIN") || message.startsWith("NOTLEADER") || message.startsWith("BUSY")
                    || message.startsWith("ERR node stopped")) {
                return NOT_APPLIED;
            }
            if (message.startsWith("UNKNOWN")) {
                return UNKNOWN;
            }
            return UNEXPECTED;
        }
        if (failure instanceof JedisConnectionException) {
            return refused(failure) ? NOT_APPLIED : UNKNOWN;
        }
        return UNEXPECTED;
    }

    /** The connection was never made (nothing was sent). */
    static boolean refused(Throwable failure) {
        Deque<Throwable> todo = new ArrayDeque<>();
        Set<Throwable> seen = new HashSet<>();
        todo.add(failure);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof ConnectException) {
                return true;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            for (Throwable s : t.getSuppressed()) {
                todo.add(s);
            }
        }
        return false;
    }

    /** The error code (first word of the reply) or the exception's class, for reports. */
    static String code(Throwable failure) {
        if (failure instanceof JedisDataException) {
            String message = String.valueOf(failure.getMessage());
            int space = message.indexOf(' ');
            String code = space < 0 ? message : message.substring(0, space);
            return message.startsWith("ERR node stopped") ? "ERR node stopped" : code;
        }
        if (failure instanceof JedisConnectionException) {
            return refused(failure) ? "connection refused" : "connection lost/timeout";
        }
        return failure.getClass().getSimpleName();
    }
}
