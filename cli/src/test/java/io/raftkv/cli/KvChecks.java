package io.raftkv.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** Reads many keys back through one node, in pipelined batches. */
final class KvChecks {
    private KvChecks() {
    }

    /**
     * Reads every key of {@code expected} through {@code node} ({@code stale}: after READONLY, i.e.
     * the node's own state without a read barrier) and returns one line per missing or wrong key.
     */
    static List<String> mismatches(ServerProcess node, Map<String, String> expected, boolean stale) {
        List<String> problems = new ArrayList<>();
        List<String> keys = new ArrayList<>(expected.keySet());
        try (Jedis jedis = node.client(Duration.ofSeconds(30))) {
            if (stale) {
                jedis.readonly();
            }
            for (int from = 0; from < keys.size(); from += 500) {
                List<String> batch = keys.subList(from, Math.min(keys.size(), from + 500));
                List<String> values = retryingBatch(node, "GET", () -> {
                    List<Response<String>> replies = new ArrayList<>();
                    Pipeline pipeline = jedis.pipelined();
                    for (String key : batch) {
                        replies.add(pipeline.get(key));
                    }
                    pipeline.sync();
                    List<String> got = new ArrayList<>();
                    replies.forEach(r -> got.add(r.get())); // throws the first error reply
                    return got;
                });
                for (int i = 0; i < batch.size(); i++) {
                    String key = batch.get(i);
                    String got = values.get(i);
                    if (got == null) {
                        problems.add(key + ": missing");
                    } else if (!got.equals(expected.get(key))) {
                        problems.add(key + ": wrong value " + abbreviate(got) + ", expected "
                                + abbreviate(expected.get(key)));
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Runs a pipelined batch of reads again while it fails with an error that only says "not now"
     * (a read barrier that could not be confirmed during an election: {@code -TRYAGAIN},
     * {@code -NOTLEADER}, {@code -BUSY}).
     */
    private static <T> T retryingBatch(ServerProcess node, String what, java.util.function.Supplier<T> batch) {
        return ProcessCluster.retryingNotApplied(what + " batch through " + node.id, Duration.ofSeconds(30), batch,
                () -> "");
    }

    /** The keys of {@code keys} that exist, read through {@code node} with the default (linearizable) mode. */
    static List<String> present(ServerProcess node, Collection<String> keys) {
        List<String> found = new ArrayList<>();
        List<String> all = new ArrayList<>(keys);
        try (Jedis jedis = node.client(Duration.ofSeconds(30))) {
            for (int from = 0; from < all.size(); from += 500) {
                List<String> batch = all.subList(from, Math.min(all.size(), from + 500));
                List<Boolean> exists = retryingBatch(node, "EXISTS", () -> {
                    List<Response<Boolean>> replies = new ArrayList<>();
                    Pipeline pipeline = jedis.pipelined();
                    for (String key : batch) {
                        replies.add(pipeline.exists(key));
                    }
                    pipeline.sync();
                    List<Boolean> got = new ArrayList<>();
                    replies.forEach(r -> got.add(r.get()));
                    return got;
                });
                for (int i = 0; i < batch.size(); i++) {
                    if (exists.get(i)) {
                        found.add(batch.get(i));
                    }
                }
            }
        }
        return found;
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? "'" + text + "'" : "'" + text.substring(0, 60) + "...' (" + text.length() + " chars)";
    }

    static String firstFew(List<String> lines) {
        return lines.size() + " problems, first ones:\n  " + String.join("\n  ", lines.subList(0, Math.min(20, lines.size())));
    }
}
