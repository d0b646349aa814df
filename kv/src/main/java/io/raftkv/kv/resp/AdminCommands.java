package io.raftkv.kv.resp;

import io.raftkv.kv.AdminRequest;
import java.util.List;

/**
 * {@code RAFT TRANSFER-LEADER id}, {@code RAFT PROMOTE id}, {@code RAFT REMOVE id}: cluster
 * administration over the client protocol, for {@code raftkv cluster}. Only the leader takes
 * them; another node answers {@code -NOTLEADER leader=<id> addr=<host:port>}.
 */
final class AdminCommands {
    private AdminCommands() {
    }

    static void register(CommandTable table) {
        table.add(new CommandSpec("RAFT", 3, List.of("admin"), 0, 0, 0, (args, client, server) -> {
            String node = args.text(2);
            AdminRequest request = switch (args.keyword(1)) {
                case "TRANSFER-LEADER" -> new AdminRequest.TransferLeader(node);
                case "PROMOTE" -> new AdminRequest.Promote(node);
                case "REMOVE" -> new AdminRequest.Remove(node);
                default -> throw new CommandError("ERR unknown RAFT subcommand '" + args.text(1)
                        + "' (TRANSFER-LEADER, PROMOTE, REMOVE)");
            };
            return new Prepared.Admin(request);
        }));
    }
}
