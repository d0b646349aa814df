package io.raftkv.kv.resp;

import io.netty.handler.codec.redis.RedisMessage;
import io.raftkv.kv.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every command the RESP server understands, by name, and the common part of handling one:
 * lookup, arity, and turning parse errors into replies. Unknown commands get Redis's
 * {@code -ERR unknown command} reply (R-KV-1), never a dropped connection.
 */
final class CommandTable {

    private static final int ECHOED_ARGUMENTS_MAX = 3;
    private static final int ECHOED_CHARS_MAX = 128;

    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();

    /** The full command set. */
    static CommandTable standard() {
        CommandTable table = new CommandTable();
        StringCommands.register(table);
        KeyspaceCommands.register(table);
        ConnectionCommands.register(table);
        ServerCommands.register(table);
        AdminCommands.register(table);
        return table;
    }

    void add(CommandSpec spec) {
        if (commands.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalArgumentException("duplicate command " + spec.name());
        }
    }

    /** The command named {@code name} (any case), or null. */
    CommandSpec find(String name) {
        return commands.get(name.toUpperCase(Locale.ROOT));
    }

    Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    /** Parses one request (argument 0 is the command name) into something the connection can run. */
    Prepared prepare(List<Bytes> request, ClientState client, ServerContext server) {
        Arguments arguments = new Arguments(request, server.config.valueBytesMax());
        String name = arguments.text(0);
        CommandSpec spec = find(name);
        if (spec == null) {
            return new Prepared.Immediate(Replies.error(unknownCommand(arguments)));
        }
        if (!spec.acceptsArgumentCount(arguments.size())) {
            return new Prepared.Immediate(Replies.error(wrongArity(arguments.commandName())));
        }
        try {
            return spec.handler().prepare(arguments, client, server);
        } catch (CommandError e) {
            return new Prepared.Immediate(Replies.error(e.getMessage()));
        }
    }

    static String wrongArity(String commandName) {
        return "ERR wrong number of arguments for '" + commandName + "' command";
    }

    /** Redis's wording: {@code ERR unknown command 'foo', with args beginning with: 'a' 'b' }. */
    private static String unknownCommand(Arguments arguments) {
        StringBuilder message = new StringBuilder("ERR unknown command '")
                .append(printable(arguments.raw(0))).append("', with args beginning with: ");
        for (int i = 1; i < arguments.size() && i <= ECHOED_ARGUMENTS_MAX; i++) {
            message.append('\'').append(printable(arguments.raw(i))).append("' ");
        }
        return message.toString();
    }

    private static String printable(Bytes bytes) {
        String text = new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < ECHOED_CHARS_MAX; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }

    /** The COMMAND INFO entry of {@code spec}: name, arity, flags, first key, last key, step. */
    static RedisMessage info(CommandSpec spec) {
        List<RedisMessage> flags = new ArrayList<>();
        spec.flags().forEach(flag -> flags.add(new io.netty.handler.codec.redis.SimpleStringRedisMessage(flag)));
        return Replies.array(List.of(
                Replies.bulk(spec.name().toLowerCase(Locale.ROOT)),
                Replies.integer(spec.arity()),
                Replies.array(flags),
                Replies.integer(spec.firstKey()),
                Replies.integer(spec.lastKey()),
                Replies.integer(spec.keyStep())));
    }
}
