package io.raftkv.kv.resp;

import io.netty.handler.codec.redis.RedisMessage;
import io.raftkv.kv.ReadMode;
import java.util.List;

/**
 * Connection-level commands, answered on the spot: PING, ECHO, HELLO, CLIENT, SELECT, QUIT, AUTH,
 * and READONLY/READWRITE, which switch the connection between stale local reads and the server's
 * default read mode (R-READ-3).
 */
final class ConnectionCommands {

    /** The Redis version we claim, so client libraries enable the RESP2 features we implement. */
    static final String REDIS_COMPATIBLE_VERSION = "7.0.0";

    private static final List<String> FAST = List.of("fast");
    private static final String NO_PASSWORD = "ERR AUTH <password> called without any password configured"
            + " for the default user. Are you sure your configuration is correct?";

    private ConnectionCommands() {
    }

    static void register(CommandTable table) {
        table.add(new CommandSpec("PING", -1, FAST, 0, 0, 0, (args, client, server) -> switch (args.size()) {
            case 1 -> new Prepared.Immediate(Replies.PONG);
            case 2 -> new Prepared.Immediate(Replies.bulk(args.raw(1)));
            default -> throw new CommandError(CommandTable.wrongArity("ping"));
        }));
        table.add(new CommandSpec("ECHO", 2, FAST, 0, 0, 0, (args, client, server) ->
                new Prepared.Immediate(Replies.bulk(args.raw(1)))));
        table.add(new CommandSpec("SELECT", 2, FAST, 0, 0, 0, (args, client, server) -> {
            if (args.integer(1) != 0) {
                throw new CommandError("ERR DB index is out of range");
            }
            return new Prepared.Immediate(Replies.OK);
        }));
        table.add(new CommandSpec("QUIT", -1, FAST, 0, 0, 0, (args, client, server) ->
                new Prepared.Immediate(Replies.OK, true)));
        table.add(new CommandSpec("AUTH", -2, FAST, 0, 0, 0, (args, client, server) -> {
            throw new CommandError(NO_PASSWORD);
        }));
        table.add(new CommandSpec("READONLY", 1, FAST, 0, 0, 0, (args, client, server) -> {
            client.readMode = ReadMode.STALE;
            return new Prepared.Immediate(Replies.OK);
        }));
        table.add(new CommandSpec("READWRITE", 1, FAST, 0, 0, 0, (args, client, server) -> {
            client.readMode = server.config.defaultReadMode();
            return new Prepared.Immediate(Replies.OK);
        }));
        table.add(new CommandSpec("HELLO", -1, FAST, 0, 0, 0, ConnectionCommands::hello));
        table.add(new CommandSpec("CLIENT", -2, List.of(), 0, 0, 0, ConnectionCommands::client));
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only; RESP3 is refused with NOPROTO. */
    private static Prepared hello(Arguments args, ClientState client, ServerContext server) {
        int i = 1;
        if (args.size() > 1) {
            long version;
            try {
                version = args.integer(1);
            } catch (CommandError e) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            if (version != 2) {
                throw new CommandError("NOPROTO sorry, this protocol version is not supported");
            }
            i = 2;
        }
        String name = client.name;
        while (i < args.size()) {
            String option = args.keyword(i);
            if (option.equals("AUTH") && i + 2 < args.size()) {
                throw new CommandError(NO_PASSWORD);
            } else if (option.equals("SETNAME") && i + 1 < args.size()) {
                name = validName(args.text(i + 1));
                i += 2;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + args.text(i) + "'");
            }
        }
        client.name = name;
        List<RedisMessage> fields = List.of(
                Replies.bulk("server"), Replies.bulk("redis"),
                Replies.bulk("version"), Replies.bulk(REDIS_COMPATIBLE_VERSION),
                Replies.bulk("proto"), Replies.integer(2),
                Replies.bulk("id"), Replies.integer(client.id),
                Replies.bulk("mode"), Replies.bulk("standalone"),
                Replies.bulk("role"), Replies.bulk("master"),
                Replies.bulk("modules"), Replies.array(List.of()));
        return new Prepared.Immediate(Replies.array(fields));
    }

    /** CLIENT SETNAME | GETNAME | ID | SETINFO | INFO. */
    private static Prepared client(Arguments args, ClientState client, ServerContext server) {
        String subcommand = args.keyword(1);
        switch (subcommand) {
            case "SETNAME" -> {
                requireArguments(args, 3, "client|setname");
                String name = validName(args.text(2));
                client.name = name.isEmpty() ? null : name;
                return new Prepared.Immediate(Replies.OK);
            }
            case "GETNAME" -> {
                requireArguments(args, 2, "client|getname");
                return new Prepared.Immediate(client.name == null ? Replies.nil() : Replies.bulk(client.name));
            }
            case "ID" -> {
                requireArguments(args, 2, "client|id");
                return new Prepared.Immediate(Replies.integer(client.id));
            }
            case "SETINFO" -> {
                requireArguments(args, 4, "client|setinfo");
                String attribute = args.keyword(2);
                if (!attribute.equals("LIB-NAME") && !attribute.equals("LIB-VER")) {
                    throw new CommandError("ERR Unrecognized option '" + args.text(2) + "'");
                }
                return new Prepared.Immediate(Replies.OK);
            }
            case "INFO" -> {
                requireArguments(args, 2, "client|info");
                return new Prepared.Immediate(Replies.bulk("id=" + client.id + " addr=" + client.address
                        + " name=" + (client.name == null ? "" : client.name) + " db=0 resp=2 read-mode="
                        + client.readMode.name().toLowerCase(java.util.Locale.ROOT) + "\n"));
            }
            default -> throw new CommandError("ERR unknown subcommand '" + args.text(1) + "'. Try CLIENT HELP.");
        }
    }

    private static void requireArguments(Arguments args, int count, String name) {
        if (args.size() != count) {
            throw new CommandError(CommandTable.wrongArity(name));
        }
    }

    /** Redis's rule: client names are printable ASCII without spaces. */
    private static String validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        return name;
    }
}
