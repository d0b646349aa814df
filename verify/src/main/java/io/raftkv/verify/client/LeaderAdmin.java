package io.raftkv.verify.client;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sends one {@code RAFT ...} administration request to the cluster's leader, as an operator's
 * tool would: tries the endpoints in turn, follows a {@code -NOTLEADER ... addr=} answer to the
 * leader, and retries {@code -TRYAGAIN}, {@code -BUSY}, {@code -UNKNOWN}, a leader not yet known
 * and unreachable endpoints until the deadline. Only {@code -ERR} is final. The requests are idempotent ({@code +OK
 * already done}), so a retry after a lost answer is harmless.
 */
public final class LeaderAdmin {
    /** How a request ended. */
    public sealed interface Outcome {
        /** The reply or the last error, for the history. */
        String text();
    }

    /** The leader's answer, e.g. {@code OK}, {@code OK already done}, {@code OK leader=n2}. */
    public record Done(String text) implements Outcome {}

    /** An answer that retrying will not change. */
    public record Refused(String text) implements Outcome {}

    /** The deadline passed; {@code text} is the last error seen. */
    public record GaveUp(String text) implements Outcome {}

    private static final long RETRY_PAUSE_MILLIS = 200;
    private static final int CALL_TIMEOUT_MILLIS = 10_000;

    private final Supplier<List<String>> endpoints;

    /** @param endpoints the client addresses to try, asked again on every round (members change) */
    public LeaderAdmin(Supplier<List<String>> endpoints) {
        this.endpoints = endpoints;
    }

    /** A fixed list of endpoints, as an operator gives them. */
    public LeaderAdmin(List<String> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints");
        }
        List<String> fixed = List.copyOf(endpoints);
        this.endpoints = () -> fixed;
    }

    /** Sends {@code command} until the leader answers it, it is refused, or {@code timeoutMillis} pass. */
    public Outcome send(long timeoutMillis, String... command) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Deque<String> targets = new ArrayDeque<>();
        String lastError = "no endpoint answered";
        while (System.nanoTime() < deadline) {
            String endpoint = targets.pollFirst();
            if (endpoint == null) {
                targets.addAll(endpoints.get());
                Thread.sleep(RETRY_PAUSE_MILLIS);
                continue;
            }
            Object reply;
            try (RespClient client = new RespClient(endpoint, CALL_TIMEOUT_MILLIS)) {
                reply = client.call(command);
            } catch (IOException | RuntimeException e) {
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
                    if (leader != null && !leader.equals(endpoint)) {
                        targets.addFirst(leader);
                    } else {
                        Thread.sleep(RETRY_PAUSE_MILLIS); // an election is running
                    }
                }
                case "ERR" -> {
                    return new Refused(error.message());
                }
                // TRYAGAIN, BUSY, UNKNOWN (a commit that timed out): the request is idempotent. This
                // node again after the others: it may be the leader with a change pending, or a
                // follower in a minority that will never know one.
                default -> {
                    targets.addLast(endpoint);
                    Thread.sleep(RETRY_PAUSE_MILLIS);
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
