package io.raftkv.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary format of a {@link KvResult}: the bytes {@code StateMachine.apply} returns and the
 * node hands to the proposer's future.
 *
 * <pre>
 * u8 format version (1)
 * element: u8 tag, then by tag
 *   1 OK, 2 NIL:  nothing
 *   3 INTEGER:    zigzag varint
 *   4 BULK:       varint length, bytes
 *   5 ARRAY:      varint count, count elements (nesting at most {@value #ARRAY_DEPTH_MAX} deep)
 *   6 ERROR:      varint length, UTF-8 message
 * </pre>
 */
public final class KvResultCodec {

    /** The format version this build writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final int ARRAY_DEPTH_MAX = 8;
    private static final int ARRAY_ELEMENTS_MAX = 1 << 24;
    private static final int ERROR_BYTES_MAX = 64 * 1024;

    private static final int TAG_OK = 1;
    private static final int TAG_NIL = 2;
    private static final int TAG_INTEGER = 3;
    private static final int TAG_BULK = 4;
    private static final int TAG_ARRAY = 5;
    private static final int TAG_ERROR = 6;

    private KvResultCodec() {
    }

    /** The bytes of {@code result}. */
    public static byte[] encode(KvResult result) {
        ByteWriter out = new ByteWriter(16);
        out.writeByte(FORMAT_VERSION);
        write(out, result);
        return out.toByteArray();
    }

    /**
     * Decodes result bytes.
     *
     * @throws KvCodecException           if they are malformed
     * @throws UnsupportedFormatException if they were written by a newer format version
     */
    public static KvResult decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new UnsupportedFormatException("KV result has format version " + version
                    + "; this node reads only version " + FORMAT_VERSION);
        }
        KvResult result = read(in, 0);
        in.expectEnd();
        return result;
    }

    private static void write(ByteWriter out, KvResult result) {
        if (result instanceof KvResult.Ok) {
            out.writeByte(TAG_OK);
        } else if (result instanceof KvResult.Nil) {
            out.writeByte(TAG_NIL);
        } else if (result instanceof KvResult.IntegerReply integer) {
            out.writeByte(TAG_INTEGER).writeSignedVarLong(integer.value());
        } else if (result instanceof KvResult.BulkReply bulk) {
            out.writeByte(TAG_BULK).writeBytes(bulk.value());
        } else if (result instanceof KvResult.ArrayReply array) {
            out.writeByte(TAG_ARRAY).writeVarLong(array.elements().size());
            array.elements().forEach(element -> write(out, element));
        } else if (result instanceof KvResult.ErrorReply error) {
            out.writeByte(TAG_ERROR).writeBytes(Bytes.utf8(error.message()));
        } else {
            throw new IllegalStateException("unknown result type " + result.getClass());
        }
    }

    private static KvResult read(ByteReader in, int depth) {
        int tag = in.readByte();
        switch (tag) {
            case TAG_OK:
                return KvResult.OK;
            case TAG_NIL:
                return KvResult.NIL;
            case TAG_INTEGER:
                return new KvResult.IntegerReply(in.readSignedVarLong());
            case TAG_BULK:
                return new KvResult.BulkReply(in.readBytes(KvLimits.VALUE_BYTES_CEILING, "bulk"));
            case TAG_ARRAY: {
                if (depth >= ARRAY_DEPTH_MAX) {
                    throw new KvCodecException("arrays nested deeper than " + ARRAY_DEPTH_MAX);
                }
                int count = in.readLength(ARRAY_ELEMENTS_MAX, "array length");
                List<KvResult> elements = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    elements.add(read(in, depth + 1));
                }
                return new KvResult.ArrayReply(elements);
            }
            case TAG_ERROR: {
                Bytes message = in.readBytes(ERROR_BYTES_MAX, "error message");
                try {
                    return new KvResult.ErrorReply(new String(message.array(), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new KvCodecException("bad error message: " + e.getMessage(), e);
                }
            }
            default:
                throw new KvCodecException("unknown result tag " + tag);
        }
    }
}
