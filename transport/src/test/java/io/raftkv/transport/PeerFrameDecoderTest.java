package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stream decoder: reassembly across reads, early rejection, and exactly one error per connection. */
class PeerFrameDecoderTest {
    private final PeerMessageCodec codec = PeerMessageCodec.withDefaults();

    @Test
    void reassemblesFramesSplitAtAnyByteAndSeveralPerRead() {
        RandomMessages messages = new RandomMessages(5, 500);
        List<PeerMessage> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 300; i++) {
            PeerMessage message = messages.next();
            sent.add(message);
            stream.writeBytes(Frames.encode(codec, message));
        }
        byte[] bytes = stream.toByteArray();
        SplittableRandom random = new SplittableRandom(5);
        EmbeddedChannel channel = new EmbeddedChannel(new PeerFrameDecoder(codec));
        for (int position = 0; position < bytes.length; ) {
            int length = Math.min(bytes.length - position, random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(700));
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, position, length));
            position += length;
        }
        List<PeerMessage> received = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            received.add((PeerMessage) message);
        }
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(SameMessage.difference(sent.get(i), received.get(i))).as("frame %d", i).isNull();
        }
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void rejectsAnOversizedLengthPrefixBeforeTheFrameArrives() {
        EmbeddedChannel channel = new EmbeddedChannel(new PeerFrameDecoder(codec));
        ByteBuf prefix = Unpooled.buffer().writeInt(PeerMessageCodec.DEFAULT_MAX_FRAME_BYTES + 1);
        assertThatThrownBy(() -> channel.writeInbound(prefix)).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("exceeds the limit of " + PeerMessageCodec.DEFAULT_MAX_FRAME_BYTES);
        // Everything after the error is discarded: the frame boundaries are lost.
        channel.writeInbound(Unpooled.wrappedBuffer(Frames.encode(codec, new RandomMessages(1, 10).next())));
        Object after = channel.readInbound();
        assertThat(after).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void rejectsAForeignProtocolAtItsFifthByte() {
        EmbeddedChannel channel = new EmbeddedChannel(new PeerFrameDecoder(codec));
        ByteBuf start = Unpooled.buffer().writeInt(100).writeByte('*');
        assertThatThrownBy(() -> channel.writeInbound(start)).hasCauseInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("not a raftkv peer frame");
    }

    @Test
    void reportsAConnectionThatEndsInsideAFrameOnce() {
        byte[] frame = Frames.encode(codec, new RandomMessages(2, 10).next());
        EmbeddedChannel channel = new EmbeddedChannel(new PeerFrameDecoder(codec));
        channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, frame.length - 1));
        assertThatThrownBy(channel::finish).hasCauseInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("connection closed inside a frame (" + (frame.length - 1) + " bytes");
    }

    @Test
    void garbageAfterValidFramesDeliversTheValidOnesThenFailsOnce() {
        RandomMessages messages = new RandomMessages(3, 10);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(Frames.encode(codec, messages.next()));
        stream.writeBytes(Frames.encode(codec, messages.next()));
        stream.writeBytes(new byte[] {0, 0, 0, 8, (byte) 0xA1, 99, 1, 2, 3, 4, 5, 6, 7, 8});
        EmbeddedChannel channel = new EmbeddedChannel(new PeerFrameDecoder(codec));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(stream.toByteArray())))
                .hasCauseInstanceOf(CorruptFrameException.class).hasMessageContaining("unknown message type 99");
        Object first = channel.readInbound();
        Object second = channel.readInbound();
        Object third = channel.readInbound();
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(third).isNull();
        assertThat(channel.finish()).isFalse(); // no second error when the connection ends
    }
}
