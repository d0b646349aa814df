package io.raftkv.kv;

import java.util.OptionalLong;

/**
 * Executes one write command against the data map: a pure function from (map, command) to
 * (new map, result), so every replica computes the same thing. Deterministic failures (INCR on a
 * non-integer, overflow, APPEND beyond the limit) are {@link KvResult.ErrorReply} results and leave
 * the map unchanged. Session commands never reach here; {@link ProposalApplier} handles them.
 */
final class CommandExecutor implements KvCommand.Visitor<CommandExecutor.Outcome> {

    /** The map after the command, and the command's result. */
    record Outcome(PersistentHashMap<Bytes, Bytes> data, KvResult result) {
    }

    private final PersistentHashMap<Bytes, Bytes> data;

    private CommandExecutor(PersistentHashMap<Bytes, Bytes> data) {
        this.data = data;
    }

    static Outcome execute(PersistentHashMap<Bytes, Bytes> data, KvCommand command) {
        return command.accept(new CommandExecutor(data));
    }

    private Outcome unchanged(KvResult result) {
        return new Outcome(data, result);
    }

    @Override
    public Outcome visitSet(KvCommand.Set command) {
        Bytes previous = data.get(command.key());
        boolean write = switch (command.condition()) {
            case ALWAYS -> true;
            case IF_ABSENT -> previous == null;
            case IF_PRESENT -> previous != null;
        };
        PersistentHashMap<Bytes, Bytes> next = write ? data.put(command.key(), command.value()) : data;
        KvResult result;
        if (command.returnPrevious()) {
            result = KvResult.bulkOrNil(previous);
        } else {
            result = write ? KvResult.OK : KvResult.NIL;
        }
        return new Outcome(next, result);
    }

    @Override
    public Outcome visitDelete(KvCommand.Delete command) {
        PersistentHashMap<Bytes, Bytes> next = data;
        long removed = 0;
        for (Bytes key : command.keys()) {
            PersistentHashMap<Bytes, Bytes> without = next.remove(key);
            if (without != next) {
                removed++;
                next = without;
            }
        }
        return new Outcome(next, KvResult.of(removed));
    }

    @Override
    public Outcome visitIncrementBy(KvCommand.IncrementBy command) {
        Bytes previous = data.get(command.key());
        long current = 0;
        if (previous != null) {
            OptionalLong parsed = Decimal.parseLong(previous);
            if (parsed.isEmpty()) {
                return unchanged(new KvResult.ErrorReply(KvErrors.NOT_AN_INTEGER));
            }
            current = parsed.getAsLong();
        }
        long updated;
        try {
            updated = Math.addExact(current, command.delta());
        } catch (ArithmeticException overflow) {
            return unchanged(new KvResult.ErrorReply(KvErrors.INCREMENT_OVERFLOW));
        }
        return new Outcome(data.put(command.key(), Decimal.format(updated)), KvResult.of(updated));
    }

    @Override
    public Outcome visitAppend(KvCommand.Append command) {
        Bytes previous = data.get(command.key());
        Bytes base = previous == null ? Bytes.EMPTY : previous;
        long length = (long) base.length() + command.value().length();
        if (length > command.resultBytesMax()) {
            return unchanged(new KvResult.ErrorReply(KvErrors.STRING_TOO_LONG));
        }
        return new Outcome(data.put(command.key(), base.concat(command.value())), KvResult.of(length));
    }

    @Override
    public Outcome visitMultiSet(KvCommand.MultiSet command) {
        PersistentHashMap<Bytes, Bytes> next = data;
        for (KvCommand.KeyValue pair : command.pairs()) {
            next = next.put(pair.key(), pair.value());
        }
        return new Outcome(next, KvResult.OK);
    }

    @Override
    public Outcome visitGetSet(KvCommand.GetSet command) {
        Bytes previous = data.get(command.key());
        return new Outcome(data.put(command.key(), command.value()), KvResult.bulkOrNil(previous));
    }

    @Override
    public Outcome visitGetDelete(KvCommand.GetDelete command) {
        Bytes previous = data.get(command.key());
        return new Outcome(data.remove(command.key()), KvResult.bulkOrNil(previous));
    }

    @Override
    public Outcome visitCompareAndSet(KvCommand.CompareAndSet command) {
        Bytes current = data.get(command.key());
        boolean matches = command.expectsAbsent() ? current == null
                : current != null && current.equals(command.expectedValue());
        if (!matches) {
            return unchanged(KvResult.of(0));
        }
        PersistentHashMap<Bytes, Bytes> next = command.deletes() ? data.remove(command.key())
                : data.put(command.key(), command.newValue());
        return new Outcome(next, KvResult.of(1));
    }

    @Override
    public Outcome visitOpenSession(KvCommand.OpenSession command) {
        throw new IllegalStateException("session commands are handled by ProposalApplier");
    }

    @Override
    public Outcome visitCloseSession(KvCommand.CloseSession command) {
        throw new IllegalStateException("session commands are handled by ProposalApplier");
    }
}
