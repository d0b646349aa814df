package io.raftkv.kv.resp;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.Decimal;
import io.raftkv.kv.KvLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The arguments of one request (index 0 is the command name), with the checks every command
 * shares: key and value size limits (R-KV-3) and strict integer parsing. Violations throw
 * {@link CommandError} with the Redis-style message.
 */
final class Arguments {

    private final List<Bytes> values;
    private final int valueBytesMax;

    Arguments(List<Bytes> values, int valueBytesMax) {
        this.values = List.copyOf(values);
        this.valueBytesMax = valueBytesMax;
    }

    int size() {
        return values.size();
    }

    /** The command name as the client sent it, lower-cased (Redis quotes it that way in errors). */
    String commandName() {
        return text(0).toLowerCase(Locale.ROOT);
    }

    Bytes raw(int index) {
        return values.get(index);
    }

    /** Argument {@code index} as text (for options and names). */
    String text(int index) {
        return new String(values.get(index).toByteArray(), StandardCharsets.UTF_8);
    }

    /** Argument {@code index} upper-cased, for case-insensitive keywords. */
    String keyword(int index) {
        return text(index).toUpperCase(Locale.ROOT);
    }

    /** Argument {@code index} as a key: at most {@link KvLimits#KEY_BYTES_MAX} bytes. */
    Bytes key(int index) {
        Bytes key = values.get(index);
        if (key.length() > KvLimits.KEY_BYTES_MAX) {
            throw new CommandError("ERR key too large (" + key.length() + " bytes; max " + KvLimits.KEY_BYTES_MAX + ")");
        }
        return key;
    }

    /** Argument {@code index} as a value: at most the server's configured value size. */
    Bytes value(int index) {
        Bytes value = values.get(index);
        if (value.length() > valueBytesMax) {
            throw new CommandError("ERR value too large (" + value.length() + " bytes; max " + valueBytesMax + ")");
        }
        return value;
    }

    /** Every argument from {@code from} on, as keys; at most {@link KvLimits#KEYS_PER_COMMAND_MAX}. */
    List<Bytes> keysFrom(int from) {
        int count = values.size() - from;
        if (count > KvLimits.KEYS_PER_COMMAND_MAX) {
            throw new CommandError("ERR too many keys (" + count + "; max " + KvLimits.KEYS_PER_COMMAND_MAX + ")");
        }
        List<Bytes> keys = new ArrayList<>(count);
        for (int i = from; i < values.size(); i++) {
            keys.add(key(i));
        }
        return keys;
    }

    /** Argument {@code index} as a strict decimal long (Redis's rules). */
    long integer(int index) {
        OptionalLong parsed = Decimal.parseLong(values.get(index));
        if (parsed.isEmpty()) {
            throw new CommandError("ERR value is not an integer or out of range");
        }
        return parsed.getAsLong();
    }
}
