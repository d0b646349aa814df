package io.raftkv.cli;

import io.raftkv.verify.client.RespClient;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftkv cluster transfer-leader|promote|remove ID}: sends {@code RAFT <verb> ID} to the
 * leader. It tries the endpoints in turn, follows a {@code -NOTLEADER ... addr=} answer to the
 * leader, and retries {@code -TRYAGAIN}/{@code -BUSY} (an election, another change pending, a
 * learner still catching up) until {@code --timeout-ms}. Each command is idempotent: repeating a
 * change already in force answers {@code OK already done}.
 */
abstract class ClusterAdminCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The server's node id.")
    String node;

    @Option(names = "--endpoints", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "Client addresses of members (comma-separated).")
    List<String> endpoints;

    @Option(names = "--timeout-ms", defaultValue = "30000",
            description = "Give up after this long (default ${DEFAULT-VALUE}).")
    int timeoutMillis;

    /** The RAFT subcommand. */
    abstract String verb();

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Deque<String> targets = new ArrayDeque<>(endpoints);
        String lastError = "no endpoint answered";
        while (System.nanoTime() < deadline) {
            String endpoint = targets.pollFirst();
            if (endpoint == null) {
                targets.addAll(endpoints);
                Thread.sleep(200);
                continue;
            }
            Object reply;
            try (RespClient client = new RespClient(endpoint, Math.min(timeoutMillis, 15_000))) {
                reply = client.call("RAFT", verb(), node);
            } catch (IOException e) {
                lastError = endpoint + ": " + e.getMessage();
                continue;
            }
            if (reply instanceof String text) {
                out.println(text);
                return 0;
            }
            if (!(reply instanceof RespClient.ErrorReply error)) {
                out.println("unexpected reply from " + endpoint + ": " + reply);
                return 1;
            }
            lastError = endpoint + ": " + error.message();
            switch (error.code()) {
                case "NOTLEADER" -> {
                    String leader = leaderAddress(error.message());
                    if (leader != null) {
                        targets.addFirst(leader);
                    }
                }
                case "TRYAGAIN", "BUSY" -> Thread.sleep(200);
                default -> {
                    out.println(error.message());
                    return 1;
                }
            }
        }
        out.println("gave up after " + timeoutMillis + " ms: " + lastError);
        return 1;
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

    /** {@code raftkv cluster transfer-leader ID}. */
    @Command(name = "transfer-leader", mixinStandardHelpOptions = true,
            description = "Hand leadership to the voter ID (it is brought up to date first); prints the new leader.")
    static final class TransferLeader extends ClusterAdminCommand {
        @Override
        String verb() {
            return "TRANSFER-LEADER";
        }
    }

    /** {@code raftkv cluster promote ID}. */
    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make the learner ID a voter, once it has caught up with the leader.")
    static final class Promote extends ClusterAdminCommand {
        @Override
        String verb() {
            return "PROMOTE";
        }
    }

    /** {@code raftkv cluster remove ID}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove the voter or learner ID (the leader too: it hands over after the change commits).")
    static final class Remove extends ClusterAdminCommand {
        @Override
        String verb() {
            return "REMOVE";
        }
    }
}
