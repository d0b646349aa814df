package io.raftkv.kv.resp;

import io.raftkv.kv.AdminRequest;
import java.util.List;

/**
 * {@code RAFT ADD-LEARNER id host:port}, {@code RAFT PROMOTE id}, {@code RAFT REMOVE id},
 * {@code RAFT TRANSFER-LEADER id}: cluster
 * administration over the client protocol, for {@code raftkv cluster}. Only the leader takes
 * them; another node answers {@code -NOTLEADER leader=<id> addr=<host:port>}.
 */
final class AdminCommands {
    private AdminCommands() {
    }

    static void register(CommandTable table) {
        table.add(new CommandSpec("RAFT", -3, List.of("admin"), 0, 0, 0, (args, client, server) -> {
            String subcommand = args.keyword(1);
            int expected = subcommand.equals("ADD-LEARNER") ? 4 : 3;
            if (args.size() != expected) {
                throw new CommandError("ERR wrong number of arguments for 'raft|" + subcommand.toLowerCase(java.util.Locale.ROOT)
                        + "' command");
            }
            String node = args.text(2);
            AdminRequest request = switch (subcommand) {
                case "ADD-LEARNER" -> new AdminRequest.AddLearner(node, args.text(3));
                case "TRANSFER-LEADER" -> new AdminRequest.TransferLeader(node);
                case "PROMOTE" -> new AdminRequest.Promote(node);
                case "REMOVE" -> new AdminRequest.Remove(node);
                default -> throw new CommandError("ERR unknown RAFT subcommand '" + args.text(1)
                        + "' (ADD-LEARNER, PROMOTE, REMOVE, TRANSFER-LEADER)");
            };
            return new Prepared.Admin(request);
        }));
    }
}
