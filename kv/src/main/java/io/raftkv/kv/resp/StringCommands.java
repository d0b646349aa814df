package io.raftkv.kv.resp;

import io.netty.handler.codec.redis.RedisMessage;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The string commands: GET, SET, DEL, EXISTS, INCR/INCRBY/DECR/DECRBY, APPEND, STRLEN, MGET, MSET,
 * GETSET, GETDEL, and the raftkv extension CAS. Reads become {@link Prepared.Read} in the
 * connection's read mode; writes become {@link KvCommand}s.
 */
final class StringCommands {

    private static final List<String> WRITE = List.of("write", "denyoom");
    private static final List<String> WRITE_FAST = List.of("write", "denyoom", "fast");
    private static final List<String> READ_FAST = List.of("readonly", "fast");

    private StringCommands() {
    }

    static void register(CommandTable table) {
        table.add(new CommandSpec("GET", 2, READ_FAST, 1, 1, 1, (args, client, server) -> {
            Bytes key = args.key(1);
            return new Prepared.Read(client.readMode, view -> bulkOrNil(view.get(key)));
        }));
        table.add(new CommandSpec("SET", -3, WRITE, 1, 1, 1, (args, client, server) -> set(args)));
        table.add(new CommandSpec("DEL", -2, List.of("write"), 1, -1, 1, (args, client, server) ->
                write(new KvCommand.Delete(args.keysFrom(1)))));
        table.add(new CommandSpec("EXISTS", -2, READ_FAST, 1, -1, 1, (args, client, server) -> {
            List<Bytes> keys = args.keysFrom(1);
            return new Prepared.Read(client.readMode, view -> Replies.integer(view.countExisting(keys)));
        }));
        table.add(new CommandSpec("INCR", 2, WRITE_FAST, 1, 1, 1, (args, client, server) ->
                write(new KvCommand.IncrementBy(args.key(1), 1))));
        table.add(new CommandSpec("DECR", 2, WRITE_FAST, 1, 1, 1, (args, client, server) ->
                write(new KvCommand.IncrementBy(args.key(1), -1))));
        table.add(new CommandSpec("INCRBY", 3, WRITE_FAST, 1, 1, 1, (args, client, server) ->
                write(new KvCommand.IncrementBy(args.key(1), args.integer(2)))));
        table.add(new CommandSpec("DECRBY", 3, WRITE_FAST, 1, 1, 1, (args, client, server) -> {
            long decrement = args.integer(2);
            if (decrement == Long.MIN_VALUE) {
                throw new CommandError("ERR decrement would overflow");
            }
            return write(new KvCommand.IncrementBy(args.key(1), -decrement));
        }));
        table.add(new CommandSpec("APPEND", 3, WRITE, 1, 1, 1, (args, client, server) ->
                write(new KvCommand.Append(args.key(1), args.value(2), server.config.valueBytesMax()))));
        table.add(new CommandSpec("STRLEN", 2, READ_FAST, 1, 1, 1, (args, client, server) -> {
            Bytes key = args.key(1);
            return new Prepared.Read(client.readMode, view -> Replies.integer(view.valueLength(key)));
        }));
        table.add(new CommandSpec("MGET", -2, READ_FAST, 1, -1, 1, (args, client, server) -> {
            List<Bytes> keys = args.keysFrom(1);
            return new Prepared.Read(client.readMode, view -> {
                List<RedisMessage> values = new ArrayList<>(keys.size());
                view.multiGet(keys).forEach(value -> values.add(bulkOrNil(value)));
                return Replies.array(values);
            });
        }));
        table.add(new CommandSpec("MSET", -3, WRITE, 1, -1, 2, (args, client, server) -> multiSet(args)));
        table.add(new CommandSpec("GETSET", 3, WRITE, 1, 1, 1, (args, client, server) ->
                write(new KvCommand.GetSet(args.key(1), args.value(2)))));
        table.add(new CommandSpec("GETDEL", 2, WRITE_FAST, 1, 1, 1, (args, client, server) ->
                write(new KvCommand.GetDelete(args.key(1)))));
        table.add(new CommandSpec("CAS", -4, WRITE, 1, 1, 1, (args, client, server) -> compareAndSet(args)));
    }

    private static Prepared write(KvCommand command) {
        return new Prepared.Write(command, Replies::of);
    }

    private static RedisMessage bulkOrNil(Optional<Bytes> value) {
        return value.map(Replies::bulk).orElseGet(Replies::nil);
    }

    /** SET key value [NX|XX] [GET] [KEEPTTL]; EX/PX/EXAT/PXAT wait for TTL support (R-KV-4). */
    private static Prepared set(Arguments args) {
        Bytes key = args.key(1);
        Bytes value = args.value(2);
        KvCommand.SetCondition condition = KvCommand.SetCondition.ALWAYS;
        boolean returnPrevious = false;
        for (int i = 3; i < args.size(); i++) {
            String option = args.keyword(i);
            switch (option) {
                case "NX", "XX" -> {
                    if (condition != KvCommand.SetCondition.ALWAYS) {
                        throw new CommandError("ERR syntax error");
                    }
                    condition = option.equals("NX") ? KvCommand.SetCondition.IF_ABSENT
                            : KvCommand.SetCondition.IF_PRESENT;
                }
                case "GET" -> returnPrevious = true;
                // Keeping the time to live of a key that cannot have one changes nothing.
                case "KEEPTTL" -> { }
                case "EX", "PX", "EXAT", "PXAT" -> throw new CommandError("ERR SET " + option
                        + " is not supported yet: keys cannot expire in this version");
                default -> throw new CommandError("ERR syntax error");
            }
        }
        return write(new KvCommand.Set(key, value, condition, returnPrevious));
    }

    private static Prepared multiSet(Arguments args) {
        if ((args.size() - 1) % 2 != 0) {
            throw new CommandError(CommandTable.wrongArity("mset"));
        }
        int pairCount = (args.size() - 1) / 2;
        if (pairCount > KvLimits.KEYS_PER_COMMAND_MAX) {
            throw new CommandError("ERR too many keys (" + pairCount + "; max " + KvLimits.KEYS_PER_COMMAND_MAX + ")");
        }
        List<KvCommand.KeyValue> pairs = new ArrayList<>(pairCount);
        for (int i = 1; i < args.size(); i += 2) {
            pairs.add(new KvCommand.KeyValue(args.key(i), args.value(i + 1)));
        }
        return write(new KvCommand.MultiSet(pairs));
    }

    /**
     * CAS, the raftkv compare-and-set. Replies 1 if it swapped, 0 if not.
     * <pre>
     * CAS key expected new              set to new if the value equals expected
     * CAS key EQ expected SET new       the same, spelled out
     * CAS key ABSENT SET new            set to new if the key does not exist
     * CAS key EQ expected DEL           delete if the value equals expected
     * </pre>
     * The short form is recognised by its argument count, so values named "EQ" or "ABSENT" are safe.
     */
    private static Prepared compareAndSet(Arguments args) {
        Bytes key = args.key(1);
        return switch (args.size()) {
            case 4 -> write(new KvCommand.CompareAndSet(key, args.value(2), args.value(3)));
            case 5 -> {
                String condition = args.keyword(2);
                String action = args.keyword(3);
                if (condition.equals("ABSENT") && action.equals("SET")) {
                    yield write(new KvCommand.CompareAndSet(key, null, args.value(4)));
                }
                if (condition.equals("EQ") && args.keyword(4).equals("DEL")) {
                    yield write(new KvCommand.CompareAndSet(key, args.value(3), null));
                }
                throw new CommandError("ERR syntax error; use CAS key expected new | CAS key EQ expected SET new"
                        + " | CAS key ABSENT SET new | CAS key EQ expected DEL");
            }
            case 6 -> {
                if (args.keyword(2).equals("EQ") && args.keyword(4).equals("SET")) {
                    yield write(new KvCommand.CompareAndSet(key, args.value(3), args.value(5)));
                }
                throw new CommandError("ERR syntax error; use CAS key EQ expected SET new");
            }
            default -> throw new CommandError(CommandTable.wrongArity("cas"));
        };
    }
}
