package io.raftkv.cli;

import io.raftkv.verify.client.LeaderAdmin;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftkv cluster add|promote|remove|transfer-leader}: sends {@code RAFT <verb> ...} to the
 * leader through {@link LeaderAdmin}, which follows redirects and retries what may pass later
 * until {@code --timeout-ms}. Each command is idempotent: repeating a change already in force
 * answers {@code OK already done}.
 */
abstract class ClusterAdminCommand implements Callable<Integer> {
    @Option(names = "--endpoints", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "Client addresses of members (comma-separated).")
    List<String> endpoints;

    @Option(names = "--timeout-ms", defaultValue = "30000",
            description = "Give up after this long (default ${DEFAULT-VALUE}).")
    int timeoutMillis;

    /** Prints the outcome; returns the exit status. */
    static int report(LeaderAdmin.Outcome outcome, PrintStream out) {
        if (outcome instanceof LeaderAdmin.GaveUp) {
            out.println("gave up: " + outcome.text());
        } else {
            out.println(outcome.text());
        }
        return outcome instanceof LeaderAdmin.Done ? 0 : 1;
    }

    /** A command about one server named by its id. */
    abstract static class OnOneServer extends ClusterAdminCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The server's node id.")
        String node;

        /** The RAFT subcommand. */
        abstract String verb();

        @Override
        public Integer call() throws InterruptedException {
            return report(new LeaderAdmin(endpoints).send(timeoutMillis, "RAFT", verb(), node), System.out);
        }
    }

    /** {@code raftkv cluster add ID=HOST:PORT [--learner]}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add the server ID, which peers reach at HOST:PORT (its --raft-addr): first as a learner "
                    + "that receives the log (or a snapshot), then, unless --learner, as a voter once it has caught up.",
                    "Start the new server with --join (and --learner if it is to stay a learner)."})
    static final class Add extends ClusterAdminCommand {
        @Parameters(index = "0", paramLabel = "ID=HOST:PORT", description = "The new server's id and Raft address.")
        String member;

        @Option(names = "--learner", description = "Add it as a learner only (no vote); promote it later.")
        boolean learner;

        @Override
        public Integer call() throws InterruptedException {
            int eq = member.indexOf('=');
            if (eq <= 0 || eq == member.length() - 1) {
                System.out.println("expected ID=HOST:PORT, not '" + member + "'");
                return 2;
            }
            String node = member.substring(0, eq);
            String address = member.substring(eq + 1);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            LeaderAdmin leader = new LeaderAdmin(endpoints);
            LeaderAdmin.Outcome added = leader.send(timeoutMillis, "RAFT", "ADD-LEARNER", node, address);
            if (!(added instanceof LeaderAdmin.Done)) {
                return report(added, System.out);
            }
            System.out.println("learner: " + added.text());
            if (learner) {
                return 0;
            }
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            LeaderAdmin.Outcome promoted = leader.send(left, "RAFT", "PROMOTE", node);
            if (promoted instanceof LeaderAdmin.GaveUp) {
                System.out.println(node + " is a learner but not a voter yet (" + promoted.text()
                        + "); it may still be catching up: run 'raftkv cluster promote " + node + "' later");
                return 1;
            }
            if (promoted instanceof LeaderAdmin.Done) {
                System.out.println("voter: " + promoted.text());
                return 0;
            }
            return report(promoted, System.out);
        }
    }

    /** {@code raftkv cluster transfer-leader ID}. */
    @Command(name = "transfer-leader", mixinStandardHelpOptions = true,
            description = "Hand leadership to the voter ID (it is brought up to date first); prints the new leader.")
    static final class TransferLeader extends OnOneServer {
        @Override
        String verb() {
            return "TRANSFER-LEADER";
        }
    }

    /** {@code raftkv cluster promote ID}. */
    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make the learner ID a voter, once it has caught up with the leader.")
    static final class Promote extends OnOneServer {
        @Override
        String verb() {
            return "PROMOTE";
        }
    }

    /** {@code raftkv cluster remove ID}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove the voter or learner ID (the leader too: it hands over after the change commits).")
    static final class Remove extends OnOneServer {
        @Override
        String verb() {
            return "REMOVE";
        }
    }
}
