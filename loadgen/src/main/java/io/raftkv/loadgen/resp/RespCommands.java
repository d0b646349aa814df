package io.raftkv.loadgen.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** Encodes a command as a RESP array of bulk strings, straight into one buffer. */
final class RespCommands {
    static final byte[] SET = ascii("SET");
    static final byte[] GET = ascii("GET");
    static final byte[] READONLY = ascii("READONLY");

    private RespCommands() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static ByteBuf encode(ByteBufAllocator allocator, byte[][] args) {
        int size = 16;
        for (byte[] arg : args) {
            size += arg.length + 16;
        }
        ByteBuf out = allocator.buffer(size);
        out.writeByte('*');
        writeNumber(out, args.length);
        for (byte[] arg : args) {
            out.writeByte('$');
            writeNumber(out, arg.length);
            out.writeBytes(arg);
            out.writeByte('\r').writeByte('\n');
        }
        return out;
    }

    private static void writeNumber(ByteBuf out, int value) {
        out.writeCharSequence(Integer.toString(value), StandardCharsets.US_ASCII);
        out.writeByte('\r').writeByte('\n');
    }
}
