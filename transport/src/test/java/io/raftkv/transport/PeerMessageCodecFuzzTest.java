package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.AppendEntriesRequest;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link PeerMessageCodec#decode}: random bytes, every truncation and every single-bit flip
 * of valid frames. The decoder must return a message or throw {@link CorruptFrameException}, nothing
 * else; must not allocate much more than the frame it reads; and must not hang (the timeouts).
 * Seeds are fixed, so a failure replays; the failure message names the seed and the input.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerMessageCodecFuzzTest {
    /** Allocation allowed per decode beyond a multiple of the frame: exception objects, small buffers. */
    private static final long ALLOCATION_SLACK_BYTES = 64 << 10;
    /** Heap bytes a decoded frame may take per wire byte (an empty log entry: 13 bytes in, ~80 on the heap). */
    private static final long ALLOCATION_PER_FRAME_BYTE = 8;
    private static final int ALL_BITS_UP_TO_BYTES = 256;

    private final PeerMessageCodec codec = PeerMessageCodec.withDefaults();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long worstAllocationRatio;
    private boolean measuring;
    /** Warm-up is needed once per JVM, not once per test. */
    private static boolean warmedUp;

    /**
     * Runs every decoding path (valid frames, truncations, flips) before measuring, so one-time costs
     * (class loading, string-concatenation bootstraps) are not counted as the decoder's allocation.
     */
    @BeforeEach
    void warmUp() {
        if (warmedUp) {
            measuring = true;
            return;
        }
        RandomMessages messages = new RandomMessages(99, 64);
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 0; i < 1000; i++) {
            byte[] frame = Frames.encode(codec, messages.next());
            decodeSafely(frame, () -> "warm-up");
            decodeSafely(Frames.withConsistentLength(Arrays.copyOf(frame, 4 + random.nextInt(frame.length - 4))),
                    () -> "warm-up");
            byte[] flipped = frame.clone();
            flipped[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
            decodeSafely(flipped, () -> "warm-up");
        }
        warmedUp = true;
        measuring = true;
    }

    @Test
    void randomBytesOnlyEverRaiseTheTypedException() {
        SplittableRandom random = new SplittableRandom(20261122L);
        int decoded = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] frame = new byte[random.nextInt(300)];
            random.nextBytes(frame);
            int mode = random.nextInt(3);
            if (mode >= 1 && frame.length >= 6) {
                // A consistent length prefix, so the decoder gets past the framing into the fields.
                frame = Frames.withConsistentLength(frame);
                frame[4] = (byte) PeerMessageCodec.MAGIC_VERSION;
                if (mode == 2) {
                    frame[5] = (byte) WireType.values()[random.nextInt(WireType.values().length)].code;
                }
            }
            int input = i;
            if (decodeSafely(frame, () -> "random input " + input) != null) {
                decoded++;
            }
        }
        // Random bytes almost never form a valid message; the assertion is that nothing else escaped.
        assertThat(decoded).isLessThan(1000);
    }

    @Test
    void everyTruncationOfAValidFrameIsRejected() {
        RandomMessages messages = new RandomMessages(1, 200);
        for (int m = 0; m < 300; m++) {
            PeerMessage message = messages.next();
            byte[] frame = Frames.encode(codec, message);
            for (int cut = 0; cut < frame.length; cut++) {
                byte[] truncated = Arrays.copyOf(frame, cut);
                int at = cut;
                assertRejected(truncated, () -> "cut at " + at + " of " + message);
                if (cut >= PeerMessageCodec.LENGTH_FIELD_BYTES) {
                    // The same cut with the prefix fixed up: the frame is consistent but its body is short.
                    assertRejected(Frames.withConsistentLength(truncated), () -> "consistent cut at " + at + " of " + message);
                }
            }
        }
    }

    /**
     * Every bit of frames up to {@link #ALL_BITS_UP_TO_BYTES}; a seeded sample of bits of larger ones
     * (a batch of configuration entries), which would otherwise dominate the suite's time.
     */
    @Test
    void everyBitFlipOfAValidFrameDecodesToAValidMessageOrIsRejected() {
        RandomMessages messages = new RandomMessages(2, 48);
        SplittableRandom random = new SplittableRandom(2);
        int accepted = 0;
        for (int m = 0; m < 200; m++) {
            PeerMessage message = messages.next();
            byte[] frame = Frames.encode(codec, message);
            int bits = frame.length * 8;
            int flips = frame.length <= ALL_BITS_UP_TO_BYTES ? bits : ALL_BITS_UP_TO_BYTES * 8;
            for (int i = 0; i < flips; i++) {
                int bit = flips == bits ? i : random.nextInt(bits);
                byte[] flipped = frame.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                PeerMessage decoded = decodeSafely(flipped, () -> "bit " + bit + " of " + message);
                if (decoded != null) {
                    accepted++;
                    assertReencodes(decoded);
                }
            }
        }
        // Flips inside values (terms, payloads) are undetectable by design; flips in structure are not.
        assertThat(accepted).isPositive();
    }

    @Test
    void hostileLengthsAndCountsAllocateNoMoreThanTheFrame() {
        List<byte[]> hostile = new ArrayList<>();
        byte[] app = Frames.encode(codec, new AppMessage(NodeId.of("a"), NodeId.of("b"), 0,
                new byte[8]));
        for (int claimed : new int[] {Integer.MAX_VALUE, -1, 1 << 30, 100}) {
            byte[] copy = app.clone();
            Unpooled.wrappedBuffer(copy).setInt(4 + 1 + 1 + 2 + 2 + 4, claimed);
            hostile.add(copy);
        }
        byte[] entries = new byte[4 + 2 + 8 + 2 + 2 + 24 + 4];
        ByteBuf buf = Unpooled.wrappedBuffer(entries).clear();
        buf.writeInt(entries.length - 4).writeByte(PeerMessageCodec.MAGIC_VERSION).writeByte(WireType.APPEND_ENTRIES_REQUEST.code)
                .writeLong(1).writeByte(1).writeByte('a').writeByte(1).writeByte('b')
                .writeLong(0).writeLong(0).writeLong(0).writeInt(-1);
        hostile.add(entries);
        for (byte[] frame : hostile) {
            assertRejected(frame, () -> "hostile frame " + Frames.hex(frame));
        }
        assertThat(worstAllocationRatio).isLessThanOrEqualTo(ALLOCATION_PER_FRAME_BYTE);
    }

    @Test
    void framesOfManyEmptyEntriesStayWithinTheAllocationBound() {
        RandomMessages messages = new RandomMessages(3, 0);
        for (int i = 0; i < 2000; i++) {
            int index = i;
            decodeSafely(Frames.encode(codec, messages.next()), () -> "message " + index);
        }
        List<LogEntry> empty = new ArrayList<>();
        for (int i = 1; i <= 50_000; i++) {
            empty.add(new LogEntry(i, 1, EntryType.NO_OP, null));
        }
        PeerMessage batch = new RaftEnvelope(new AppendEntriesRequest(1,
                NodeId.of("a"), NodeId.of("b"), 0, 0, empty, 0));
        assertThat(decodeSafely(Frames.encode(codec, batch), () -> "50k empty entries")).isNotNull();
        assertThat(worstAllocationRatio).isLessThanOrEqualTo(ALLOCATION_PER_FRAME_BYTE);
    }

    /** Decodes, measuring allocation; returns the message or null if rejected; fails on anything else. */
    private PeerMessage decodeSafely(byte[] frame, Supplier<String> what) {
        long threadId = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(threadId);
        PeerMessage decoded = null;
        try {
            decoded = Frames.decode(codec, frame);
        } catch (CorruptFrameException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                fail("no reason given for rejecting " + what.get());
            }
        } catch (Throwable unexpected) {
            fail("decoding " + what.get() + " (" + Frames.hex(frame) + ") threw " + unexpected, unexpected);
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        if (!measuring) {
            return decoded;
        }
        long ratio = Math.max(0, allocated - ALLOCATION_SLACK_BYTES) / Math.max(1, frame.length);
        worstAllocationRatio = Math.max(worstAllocationRatio, ratio);
        if (allocated > ALLOCATION_SLACK_BYTES + ALLOCATION_PER_FRAME_BYTE * frame.length) {
            fail(allocated + " bytes allocated decoding " + what.get() + " of " + frame.length + " bytes");
        }
        return decoded;
    }

    private void assertRejected(byte[] frame, Supplier<String> what) {
        if (decodeSafely(frame, what) != null) {
            fail(what.get() + " must be rejected");
        }
    }

    private void assertReencodes(PeerMessage decoded) {
        byte[] again = Frames.encode(codec, decoded);
        PeerMessage redecoded = decodeSafely(again, () -> "re-encoded " + decoded);
        assertThat(SameMessage.difference(decoded, redecoded)).isNull();
    }
}
