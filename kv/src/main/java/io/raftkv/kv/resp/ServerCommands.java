package io.raftkv.kv.resp;

import io.netty.handler.codec.redis.RedisMessage;
import java.util.ArrayList;
import java.util.List;

/** INFO and COMMAND: what redis-cli and client libraries ask a server about itself when they connect. */
final class ServerCommands {

    private ServerCommands() {
    }

    static void register(CommandTable table) {
        table.add(new CommandSpec("INFO", -1, List.of("loading", "stale"), 0, 0, 0, (args, client, server) -> {
            List<String> sections = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) {
                sections.add(args.text(i));
            }
            return new Prepared.Immediate(Replies.bulk(InfoReport.render(sections, server)));
        }));
        table.add(new CommandSpec("COMMAND", -1, List.of("loading", "stale"), 0, 0, 0,
                (args, client, server) -> command(args, server.commands)));
    }

    /** COMMAND [COUNT | LIST | INFO name... | DOCS [name...]]. */
    private static Prepared command(Arguments args, CommandTable table) {
        if (args.size() == 1) {
            List<RedisMessage> infos = new ArrayList<>();
            table.all().forEach(spec -> infos.add(CommandTable.info(spec)));
            return new Prepared.Immediate(Replies.array(infos));
        }
        switch (args.keyword(1)) {
            case "COUNT" -> {
                return new Prepared.Immediate(Replies.integer(table.all().size()));
            }
            case "LIST" -> {
                List<RedisMessage> names = new ArrayList<>();
                table.all().forEach(spec -> names.add(Replies.bulk(spec.name().toLowerCase(java.util.Locale.ROOT))));
                return new Prepared.Immediate(Replies.array(names));
            }
            case "INFO" -> {
                List<RedisMessage> infos = new ArrayList<>();
                for (int i = 2; i < args.size(); i++) {
                    CommandSpec spec = table.find(args.text(i));
                    infos.add(spec == null ? Replies.nil() : CommandTable.info(spec));
                }
                return new Prepared.Immediate(Replies.array(infos));
            }
            // No documentation entries: clients (redis-cli) fall back to their built-in help.
            case "DOCS" -> {
                return new Prepared.Immediate(Replies.array(List.of()));
            }
            default -> throw new CommandError("ERR unknown subcommand '" + args.text(1) + "'. Try COMMAND HELP.");
        }
    }
}
