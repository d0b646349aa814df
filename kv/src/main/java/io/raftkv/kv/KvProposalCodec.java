package io.raftkv.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary format of a {@link KvProposal}, i.e. of one KV entry in the Raft log. Compact
 * (varints), versioned, and strict: decoding rejects anything but the exact bytes
 * {@link #encode} produces.
 *
 * <pre>
 * u8      format version (1)
 * u8      opcode (see {@link Opcode})
 * u64     sessionId (big-endian; random, so not a varint)
 * varint  sequence
 * varint  firstOutstandingSequence
 * varint  leaderTimeMs
 * ...     body, by opcode; a "string" is a varint length and that many bytes:
 *   SET       key, value, u8 flags (bits 0-1 condition: 0 always, 1 NX, 2 XX; bit 2 GET)
 *   DEL       varint count, count keys
 *   INCRBY    key, zigzag varint delta
 *   APPEND    key, value, varint resultBytesMax
 *   MSET      varint count, count (key, value)
 *   GETSET    key, value
 *   GETDEL    key
 *   CAS       key, u8 flags (bit 0 expected present, bit 1 new present), [expected], [new]
 *   OPEN_SESSION, CLOSE_SESSION: no body
 * </pre>
 *
 * An unknown format version throws {@link UnsupportedFormatException} (stop this node, it is too
 * old); anything else wrong throws {@link KvCodecException} (a deterministic error result).
 */
public final class KvProposalCodec {

    /** The format version this build writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final int HEADER_BYTES_MAX = 2 + 8 + 3 * 10;

    private KvProposalCodec() {
    }

    /** Opcodes of format version 1. Their values are part of the log format: never renumber. */
    private static final class Opcode {
        static final int SET = 1;
        static final int DELETE = 2;
        static final int INCREMENT_BY = 3;
        static final int APPEND = 4;
        static final int MULTI_SET = 5;
        static final int GET_SET = 6;
        static final int GET_DELETE = 7;
        static final int COMPARE_AND_SET = 8;
        static final int OPEN_SESSION = 9;
        static final int CLOSE_SESSION = 10;
    }

    /** The log entry bytes of {@code proposal}. */
    public static byte[] encode(KvProposal proposal) {
        ByteWriter out = new ByteWriter(HEADER_BYTES_MAX + 64);
        out.writeByte(FORMAT_VERSION);
        proposal.command().accept(new BodyWriter(out, proposal));
        return out.toByteArray();
    }

    /**
     * Decodes log entry bytes.
     *
     * @throws KvCodecException           if the bytes are malformed
     * @throws UnsupportedFormatException if they were written by a newer format version
     */
    public static KvProposal decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new UnsupportedFormatException("KV log entry has format version " + version
                    + "; this node reads only version " + FORMAT_VERSION + " (upgrade it)");
        }
        int opcode = in.readByte();
        long sessionId = in.readFixedLong();
        long sequence = in.readVarLong();
        long firstOutstanding = in.readVarLong();
        long leaderTimeMs = in.readVarLong();
        KvCommand command;
        try {
            command = readBody(opcode, in);
            in.expectEnd();
            return new KvProposal(sessionId, sequence, firstOutstanding, leaderTimeMs, command);
        } catch (IllegalArgumentException e) {
            throw new KvCodecException("invalid command: " + e.getMessage(), e);
        }
    }

    private static KvCommand readBody(int opcode, ByteReader in) {
        switch (opcode) {
            case Opcode.SET: {
                Bytes key = readKey(in);
                Bytes value = readValue(in);
                int flags = in.readByte();
                if ((flags & ~0x7) != 0 || (flags & 0x3) == 3) {
                    throw new KvCodecException("bad SET flags " + flags);
                }
                KvCommand.SetCondition condition = KvCommand.SetCondition.values()[flags & 0x3];
                return new KvCommand.Set(key, value, condition, (flags & 0x4) != 0);
            }
            case Opcode.DELETE:
                return new KvCommand.Delete(readKeys(in));
            case Opcode.INCREMENT_BY:
                return new KvCommand.IncrementBy(readKey(in), in.readSignedVarLong());
            case Opcode.APPEND:
                return new KvCommand.Append(readKey(in), readValue(in),
                        in.readLength(KvLimits.VALUE_BYTES_CEILING, "APPEND result limit"));
            case Opcode.MULTI_SET: {
                int count = in.readLength(KvLimits.KEYS_PER_COMMAND_MAX, "MSET pair count");
                List<KvCommand.KeyValue> pairs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    pairs.add(new KvCommand.KeyValue(readKey(in), readValue(in)));
                }
                return new KvCommand.MultiSet(pairs);
            }
            case Opcode.GET_SET:
                return new KvCommand.GetSet(readKey(in), readValue(in));
            case Opcode.GET_DELETE:
                return new KvCommand.GetDelete(readKey(in));
            case Opcode.COMPARE_AND_SET: {
                Bytes key = readKey(in);
                int flags = in.readByte();
                if ((flags & ~0x3) != 0) {
                    throw new KvCodecException("bad CAS flags " + flags);
                }
                Bytes expected = (flags & 0x1) != 0 ? readValue(in) : null;
                Bytes newValue = (flags & 0x2) != 0 ? readValue(in) : null;
                return new KvCommand.CompareAndSet(key, expected, newValue);
            }
            case Opcode.OPEN_SESSION:
                return new KvCommand.OpenSession();
            case Opcode.CLOSE_SESSION:
                return new KvCommand.CloseSession();
            default:
                throw new KvCodecException("unknown opcode " + opcode);
        }
    }

    private static Bytes readKey(ByteReader in) {
        return in.readBytes(KvLimits.KEY_BYTES_MAX, "key");
    }

    private static Bytes readValue(ByteReader in) {
        return in.readBytes(KvLimits.VALUE_BYTES_CEILING, "value");
    }

    private static List<Bytes> readKeys(ByteReader in) {
        int count = in.readLength(KvLimits.KEYS_PER_COMMAND_MAX, "key count");
        List<Bytes> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(readKey(in));
        }
        return keys;
    }

    /** Writes the opcode, header and body of one command. */
    private static final class BodyWriter implements KvCommand.Visitor<Void> {
        private final ByteWriter out;
        private final KvProposal proposal;

        BodyWriter(ByteWriter out, KvProposal proposal) {
            this.out = out;
            this.proposal = proposal;
        }

        private ByteWriter header(int opcode) {
            return out.writeByte(opcode)
                    .writeFixedLong(proposal.sessionId())
                    .writeVarLong(proposal.sequence())
                    .writeVarLong(proposal.firstOutstandingSequence())
                    .writeVarLong(proposal.leaderTimeMs());
        }

        @Override
        public Void visitSet(KvCommand.Set command) {
            int flags = command.condition().ordinal() | (command.returnPrevious() ? 0x4 : 0);
            header(Opcode.SET).writeBytes(command.key()).writeBytes(command.value()).writeByte(flags);
            return null;
        }

        @Override
        public Void visitDelete(KvCommand.Delete command) {
            header(Opcode.DELETE).writeVarLong(command.keys().size());
            command.keys().forEach(out::writeBytes);
            return null;
        }

        @Override
        public Void visitIncrementBy(KvCommand.IncrementBy command) {
            header(Opcode.INCREMENT_BY).writeBytes(command.key()).writeSignedVarLong(command.delta());
            return null;
        }

        @Override
        public Void visitAppend(KvCommand.Append command) {
            header(Opcode.APPEND).writeBytes(command.key()).writeBytes(command.value())
                    .writeVarLong(command.resultBytesMax());
            return null;
        }

        @Override
        public Void visitMultiSet(KvCommand.MultiSet command) {
            header(Opcode.MULTI_SET).writeVarLong(command.pairs().size());
            command.pairs().forEach(pair -> out.writeBytes(pair.key()).writeBytes(pair.value()));
            return null;
        }

        @Override
        public Void visitGetSet(KvCommand.GetSet command) {
            header(Opcode.GET_SET).writeBytes(command.key()).writeBytes(command.value());
            return null;
        }

        @Override
        public Void visitGetDelete(KvCommand.GetDelete command) {
            header(Opcode.GET_DELETE).writeBytes(command.key());
            return null;
        }

        @Override
        public Void visitCompareAndSet(KvCommand.CompareAndSet command) {
            int flags = (command.expectsAbsent() ? 0 : 0x1) | (command.deletes() ? 0 : 0x2);
            header(Opcode.COMPARE_AND_SET).writeBytes(command.key()).writeByte(flags);
            if (!command.expectsAbsent()) {
                out.writeBytes(command.expectedValue());
            }
            if (!command.deletes()) {
                out.writeBytes(command.newValue());
            }
            return null;
        }

        @Override
        public Void visitOpenSession(KvCommand.OpenSession command) {
            header(Opcode.OPEN_SESSION);
            return null;
        }

        @Override
        public Void visitCloseSession(KvCommand.CloseSession command) {
            header(Opcode.CLOSE_SESSION);
            return null;
        }
    }
}
