package io.raftkv.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FixedRedisMessagePool;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The inbound half of the server pipeline without a network: request shape and size limits, and
 * that no buffer outlives a request that was refused or cut off (Netty's own array aggregator
 * leaked those).
 */
class RequestPipelineTest {

    private static final int ARGUMENTS_MAX = 4;
    private static final int REQUEST_BYTES_MAX = 200;

    private static EmbeddedChannel pipeline() {
        RequestGuard.UndecodedBytesLimit undecoded = new RequestGuard.UndecodedBytesLimit();
        return new EmbeddedChannel(undecoded, new RedisDecoder(64 * 1024, FixedRedisMessagePool.INSTANCE, true),
                new RequestGuard(ARGUMENTS_MAX, REQUEST_BYTES_MAX, undecoded), new RedisBulkStringAggregator(),
                new RequestAssembler());
    }

    /** Feeds {@code input} in {@code chunk}-byte pieces, keeping every buffer to check its release. */
    private static List<ByteBuf> feed(EmbeddedChannel channel, String input, int chunk) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<ByteBuf> buffers = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            ByteBuf buffer = Unpooled.copiedBuffer(bytes, offset, Math.min(chunk, bytes.length - offset));
            buffers.add(buffer);
            channel.writeInbound(buffer.retain());
        }
        return buffers;
    }

    private static List<String> arguments(Object request) {
        List<String> arguments = new ArrayList<>();
        for (RedisMessage child : ((ArrayRedisMessage) request).children()) {
            if (child instanceof RejectedRequest rejected) {
                arguments.add("!" + rejected.error());
            } else {
                arguments.add(((FullBulkStringRedisMessage) child).content().toString(StandardCharsets.ISO_8859_1));
            }
        }
        return arguments;
    }

    private static void assertAllReleased(List<ByteBuf> buffers) {
        for (ByteBuf buffer : buffers) {
            buffer.release();
            assertThat(buffer.refCnt()).isZero();
        }
    }

    @Test
    void requestsSplitAcrossReadsAreAssembled() {
        EmbeddedChannel channel = pipeline();
        List<ByteBuf> buffers = feed(channel, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n", 3);
        Object first = channel.readInbound();
        assertThat(arguments(first)).containsExactly("SET", "k", "hello");
        ((ArrayRedisMessage) first).release();
        Object second = channel.readInbound();
        assertThat(arguments(second)).containsExactly("PING");
        ((ArrayRedisMessage) second).release();
        assertThat(channel.finish()).isFalse();
        assertAllReleased(buffers);
    }

    @Test
    void anOversizedArgumentBecomesAPlaceholderAndItsBytesAreDropped() {
        EmbeddedChannel channel = pipeline();
        String big = "x".repeat(REQUEST_BYTES_MAX + 1);
        List<ByteBuf> buffers = feed(channel, "*3\r\n$3\r\nSET\r\n$" + big.length() + "\r\n" + big
                + "\r\n$1\r\nv\r\n*1\r\n$4\r\nPING\r\n", 17);
        Object refused = channel.readInbound();
        List<String> arguments = arguments(refused);
        assertThat(arguments.get(0)).isEqualTo("SET");
        assertThat(arguments.get(1)).startsWith("!ERR request too large");
        assertThat(arguments.get(2)).startsWith("!ERR request too large");
        ((ArrayRedisMessage) refused).release();
        Object next = channel.readInbound();
        assertThat(arguments(next)).containsExactly("PING");
        ((ArrayRedisMessage) next).release();
        channel.finish();
        assertAllReleased(buffers);
    }

    @Test
    void tooManyArgumentsAreSwallowedIntoOneRefusal() {
        EmbeddedChannel channel = pipeline();
        List<ByteBuf> buffers = feed(channel, "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", 5);
        Object refused = channel.readInbound();
        assertThat(refused).isInstanceOf(RejectedRequest.class);
        assertThat(((RejectedRequest) refused).error()).contains("too many arguments (5; max 4)");
        channel.finish();
        assertAllReleased(buffers);
    }

    @Test
    void aRequestCutOffByADisconnectReleasesItsArguments() {
        EmbeddedChannel channel = pipeline();
        List<ByteBuf> buffers = feed(channel, "*3\r\n$3\r\nSET\r\n$5\r\nabcde\r\n$4\r\nab", 64);
        assertThat((Object) channel.readInbound()).isNull();
        channel.close();
        assertAllReleased(buffers);
    }

    @Test
    void aProtocolErrorMidRequestReleasesItsArguments() {
        EmbeddedChannel channel = pipeline();
        List<ByteBuf> buffers = feed(channel, "*3\r\n$3\r\nSET\r\n", 64);
        assertThatThrownBy(() -> feed(channel, ":5\r\n", 64)).isInstanceOf(CorruptedFrameException.class);
        channel.close();
        // The SET argument sat in the assembler when the error came; closing must release it.
        assertAllReleased(buffers);
    }

    @Test
    void anUnterminatedLineIsCutOff() {
        EmbeddedChannel channel = pipeline();
        String endless = "*" + "1".repeat(RequestGuard.UndecodedBytesLimit.UNDECODED_BYTES_MAX + 10);
        assertThatThrownBy(() -> feed(channel, endless, 64 * 1024))
                .hasMessageContaining("without a complete RESP element");
        channel.close();
    }
}
