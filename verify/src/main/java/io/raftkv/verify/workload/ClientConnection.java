package io.raftkv.verify.workload;

import io.raftkv.verify.client.RespClient;
import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Outcome;
import java.io.IOException;
import java.util.Set;

/**
 * One client's connection to one node: sends a request, records it, and classifies the answer
 * as the server documents it (docs/kv.md): {@code -NOTLEADER}, {@code -TRYAGAIN} and {@code -BUSY}
 * mean "certainly not applied"; {@code -UNKNOWN}, any other error, a timeout or a broken
 * connection after sending mean the write may still take effect. A connection that cannot be
 * opened means nothing was sent.
 */
public final class ClientConnection implements AutoCloseable {
    /** Error codes the server guarantees were not applied. */
    private static final Set<String> NOT_APPLIED = Set.of("NOTLEADER", "TRYAGAIN", "BUSY");

    private String node;
    private String address;
    private final int timeoutMillis;
    private final OpRecorder recorder;
    private RespClient client;

    /** The outcome of one request, as recorded. */
    public record Answer(Outcome outcome, String result, String error) {}

    public ClientConnection(String node, String address, int timeoutMillis, OpRecorder recorder) {
        this.node = node;
        this.address = address;
        this.timeoutMillis = timeoutMillis;
        this.recorder = recorder;
    }

    public String node() {
        return node;
    }

    /** A node and its client address. */
    public record Target(String node, String address) {}

    /**
     * From the next request on, talks to {@code target} instead (the node it used left the
     * cluster, or new members joined); a no-op if it is the same node.
     */
    public void retarget(Target target) {
        if (!target.node().equals(node)) {
            closeQuietly();
            node = target.node();
            address = target.address();
        }
    }

    /** Sends the request as {@code process}, records invocation and completion, returns the answer. */
    public Answer execute(int process, Request request, boolean isFinal) {
        OpRecorder.Invocation call = recorder.invoke(process, node, request.workload(), request.fn(), request.key(),
                request.value(), isFinal);
        Answer answer = send(request);
        recorder.complete(call, answer.outcome(), answer.result(), answer.error());
        return answer;
    }

    private Answer send(Request request) {
        if (client == null) {
            try {
                client = new RespClient(address, timeoutMillis);
            } catch (IOException e) {
                return new Answer(Outcome.FAIL, null, "connect: " + e.getMessage());
            }
        }
        Object reply;
        try {
            reply = client.call(request.command());
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            // Sent, perhaps partly: a write may have reached the server. A read changes nothing,
            // but its outcome is unknown all the same and the checkers drop it.
            return new Answer(Outcome.UNKNOWN, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return classify(request, reply);
    }

    static Answer classify(Request request, Object reply) {
        if (reply instanceof RespClient.ErrorReply error) {
            boolean notApplied = request.fn() == Fn.READ || NOT_APPLIED.contains(error.code());
            return new Answer(notApplied ? Outcome.FAIL : Outcome.UNKNOWN, null, error.message());
        }
        return switch (request.fn()) {
            case READ -> reply == null || reply instanceof String
                    ? new Answer(Outcome.OK, (String) reply, null)
                    : unexpected(request, reply);
            case WRITE -> "OK".equals(reply) ? new Answer(Outcome.OK, null, null) : unexpected(request, reply);
            case APPEND -> reply instanceof Long ? new Answer(Outcome.OK, null, null) : unexpected(request, reply);
            case INCR -> reply instanceof Long value ? new Answer(Outcome.OK, Long.toString(value), null)
                    : unexpected(request, reply);
        };
    }

    /** A reply of the wrong type: the write may or may not have happened; say so loudly in the history. */
    private static Answer unexpected(Request request, Object reply) {
        Outcome outcome = request.fn() == Fn.READ ? Outcome.FAIL : Outcome.UNKNOWN;
        return new Answer(outcome, null, "unexpected reply to " + request.fn().command() + ": " + reply);
    }

    private void closeQuietly() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // the connection is being dropped anyway
            }
            client = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
