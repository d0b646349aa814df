package io.raftkv.cli;

import io.raftkv.verify.client.RespClient;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Sends one {@code RAFT ...} administration request to the cluster's leader: tries the endpoints in
 * turn, follows a {@code -NOTLEADER ... addr=} answer to the leader, and retries {@code -TRYAGAIN}
 * and {@code -BUSY} (an election, another change pending, a learner still catching up),
 * {@code -UNKNOWN} (the leader lost its leadership before the change committed) and unreachable
 * endpoints until the deadline. Retrying is safe because every {@code RAFT} request is idempotent:
 * one that did take effect answers {@code OK already done}. Any other error is final: the request
 * can never succeed as asked.
 */
final class LeaderRequests {
    /** How a request ended. */
    sealed interface Outcome {
        String text();
    }

    /** The leader's answer, e.g. {@code OK} or {@code OK already done}. */
    record Done(String text) implements Outcome {}

    /** An answer that will not change by retrying, with the server's message. */
    record Refused(String text) implements Outcome {}

    /** The deadline passed; {@code text} is the last error seen. */
    record GaveUp(String text) implements Outcome {}

    private static final long RETRY_PAUSE_MILLIS = 200;

    private final List<String> endpoints;

    LeaderRequests(List<String> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints");
        }
        this.endpoints = List.copyOf(endpoints);
    }

    Outcome send(long timeoutMillis, String... command) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Deque<String> targets = new ArrayDeque<>(endpoints);
        String lastError = "no endpoint answered";
        while (System.nanoTime() < deadline) {
            String endpoint = targets.pollFirst();
            if (endpoint == null) {
                targets.addAll(endpoints);
                Thread.sleep(RETRY_PAUSE_MILLIS);
                continue;
            }
            Object reply;
            try (RespClient client = new RespClient(endpoint, (int) Math.min(timeoutMillis, 15_000))) {
                reply = client.call(command);
            } catch (IOException e) {
                lastError = endpoint + ": " + e.getMessage();
                continue;
            }
            if (reply instanceof String text) {
                return new Done(text);
            }
            if (!(reply instanceof RespClient.ErrorReply error)) {
                return new Refused("unexpected reply from " + endpoint + ": " + reply);
            }
            lastError = endpoint + ": " + error.message();
            switch (error.code()) {
                case "NOTLEADER" -> {
                    String leader = leaderAddress(error.message());
                    if (leader != null) {
                        targets.addFirst(leader);
                    } else {
                        Thread.sleep(RETRY_PAUSE_MILLIS); // no leader known yet: an election is running
                    }
                }
                case "TRYAGAIN", "BUSY", "UNKNOWN" -> {
                    // This node again after the others: it may be the leader with a change pending, or a
                    // follower in a minority that will never know one.
                    targets.addLast(endpoint);
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                }
                default -> {
                    return new Refused(error.message());
                }
            }
        }
        return new GaveUp(lastError);
    }

    /** The {@code addr=host:port} of a NOTLEADER answer, or null. */
    static String leaderAddress(String message) {
        for (String word : message.split(" ")) {
            if (word.startsWith("addr=") && word.length() > 5) {
                return word.substring(5);
            }
        }
        return null;
    }
}
