package io.raftkv.kv.resp;

import io.netty.handler.codec.redis.RedisMessage;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.GlobPattern;
import io.raftkv.kv.KvReadView;
import io.raftkv.kv.ScanPage;
import java.util.ArrayList;
import java.util.List;

/** KEYS, SCAN and DBSIZE: reads over the whole key space, served after the connection's read barrier. */
final class KeyspaceCommands {

    private static final int SCAN_COUNT_DEFAULT = 10;

    private KeyspaceCommands() {
    }

    static void register(CommandTable table) {
        table.add(new CommandSpec("KEYS", 2, List.of("readonly"), 0, 0, 0, (args, client, server) -> {
            GlobPattern pattern = GlobPattern.compile(args.raw(1));
            return new Prepared.Read(client.readMode, view -> keyArray(view.keys(pattern)));
        }));
        table.add(new CommandSpec("SCAN", -2, List.of("readonly"), 0, 0, 0, (args, client, server) -> scan(args, client)));
        table.add(new CommandSpec("DBSIZE", 1, List.of("readonly", "fast"), 0, 0, 0, (args, client, server) ->
                new Prepared.Read(client.readMode, view -> Replies.integer(view.size()))));
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. */
    private static Prepared scan(Arguments args, ClientState client) {
        long cursor = parseCursor(args.raw(1));
        GlobPattern pattern = GlobPattern.ANY;
        int count = SCAN_COUNT_DEFAULT;
        boolean stringsWanted = true;
        for (int i = 2; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                throw new CommandError("ERR syntax error");
            }
            switch (args.keyword(i)) {
                case "MATCH" -> pattern = GlobPattern.compile(args.raw(i + 1));
                case "COUNT" -> {
                    long requested = args.integer(i + 1);
                    if (requested < 1) {
                        throw new CommandError("ERR syntax error");
                    }
                    count = (int) Math.min(requested, Integer.MAX_VALUE);
                }
                // Every value is a string; asking for another type finds nothing.
                case "TYPE" -> stringsWanted = args.keyword(i + 1).equals("STRING");
                default -> throw new CommandError("ERR syntax error");
            }
        }
        GlobPattern match = pattern;
        int examine = count;
        boolean strings = stringsWanted;
        return new Prepared.Read(client.readMode, view -> {
            ScanPage page = view.scan(cursor, match, examine);
            List<Bytes> keys = strings ? page.keys() : List.of();
            return Replies.array(List.of(Replies.bulk(Long.toString(page.cursor())), keyArray(keys)));
        });
    }

    private static long parseCursor(Bytes text) {
        if (text.isEmpty() || text.length() > 10) {
            throw new CommandError("ERR invalid cursor");
        }
        long cursor = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = text.byteAt(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new CommandError("ERR invalid cursor");
            }
            cursor = cursor * 10 + digit;
        }
        if (cursor > KvReadView.CURSOR_MAX) {
            throw new CommandError("ERR invalid cursor");
        }
        return cursor;
    }

    private static RedisMessage keyArray(List<Bytes> keys) {
        List<RedisMessage> elements = new ArrayList<>(keys.size());
        keys.forEach(key -> elements.add(Replies.bulk(key)));
        return Replies.array(elements);
    }
}
