package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.ReadIndexResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Round trips of every message kind and the codec's rejection of each kind of bad field. */
class PeerMessageCodecTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");
    private static final ClusterConfig CONFIG = new ClusterConfig(Set.of(N1, N2, NodeId.of("n3")), Set.of(NodeId.of("l1")));
    /** Frame bytes before the first field after {@code term, from=n1, to=n2}. */
    private static final int AFTER_HEADER = 4 + 1 + 1 + 8 + 3 + 3;

    private final PeerMessageCodec codec = PeerMessageCodec.withDefaults();

    @Test
    void everyKindRoundTrips() throws Exception {
        String longId = "x".repeat(NodeId.MAX_LENGTH);
        List<PeerMessage> messages = List.of(
                raft(new RequestVoteRequest(3, N1, N2, 10, 2, true)),
                raft(new RequestVoteRequest(3, N1, N2, 10, 2, false, true)),
                raft(new RequestVoteResponse(Long.MAX_VALUE, N1, N2, true, false)),
                raft(new AppendEntriesRequest(4, N1, N2, 9, 3, List.of(
                        new LogEntry(10, 4, EntryType.NORMAL, new byte[] {1, 2, 3}),
                        new LogEntry(11, 4, EntryType.NO_OP, null),
                        new LogEntry(12, 4, EntryType.CONFIG, CONFIG.encode())), 8)),
                raft(new AppendEntriesRequest(4, N1, N2, 0, 0, List.of(), 0)),
                raft(AppendEntriesResponse.rejected(4, N1, N2, 9, 2, 5)),
                raft(AppendEntriesResponse.accepted(4, N1, N2, 12)),
                raft(new HeartbeatRequest(5, N1, N2, 7, 9)),
                raft(new HeartbeatResponse(5, N1, N2, 9)),
                raft(new ReadIndexRequest(5, N1, N2, -42)),
                raft(new ReadIndexResponse(5, N1, N2, -42, 100)),
                raft(new InstallSnapshotRequest(6, N1, N2, 100, 5, CONFIG, 10, 4, new byte[] {9, 9, 9, 9, 9, 9}, true)),
                raft(new InstallSnapshotResponse(6, N1, N2, 100, 10, true)),
                raft(new TimeoutNow(7, N1, N2)),
                new AppMessage(NodeId.of(longId), NodeId.of("a.b_c-D9"), Integer.MIN_VALUE, new byte[0]),
                new AppMessage(N1, N2, 7, "forwarded proposal".getBytes()));
        for (PeerMessage message : messages) {
            assertRoundTrip(message);
        }
    }

    @Test
    void randomMessagesRoundTrip() throws Exception {
        for (long seed = 0; seed < 40; seed++) {
            RandomMessages random = new RandomMessages(seed, 2048);
            for (int i = 0; i < 100; i++) {
                PeerMessage message = random.next();
                try {
                    assertRoundTrip(message);
                } catch (AssertionError | CorruptFrameException e) {
                    throw new AssertionError("seed " + seed + ", message " + i + ": " + message, e);
                }
            }
        }
    }

    @Test
    void megabyteChunksAndBatchesRoundTripUnderTheDefaultLimits() throws Exception {
        byte[] chunk = new byte[1 << 20];
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            entries.add(new LogEntry(i + 1, 1, EntryType.NORMAL, new byte[4096]));
        }
        assertRoundTrip(raft(new InstallSnapshotRequest(2, N1, N2, 1000, 2, CONFIG, 3L << 20, 1 << 20, chunk, false)));
        assertRoundTrip(raft(new AppendEntriesRequest(1, N1, N2, 0, 0, entries, 0)));
    }

    @Test
    void concatenatedFramesDecodeInOrder() throws Exception {
        RandomMessages random = new RandomMessages(7, 300);
        List<PeerMessage> sent = new ArrayList<>();
        ByteBuf stream = Unpooled.buffer();
        for (int i = 0; i < 200; i++) {
            PeerMessage message = random.next();
            sent.add(message);
            codec.encode(message, stream);
        }
        List<PeerMessage> received = new ArrayList<>();
        while (stream.isReadable()) {
            received.add(codec.decode(stream));
        }
        stream.release();
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(SameMessage.difference(sent.get(i), received.get(i))).as("frame %d", i).isNull();
        }
    }

    /** Pins the wire format described in docs/transport.md: a change here is a protocol change. */
    @Test
    void heartbeatFrameMatchesTheDocumentedLayout() {
        byte[] frame = Frames.encode(codec, raft(new HeartbeatRequest(5, N1, N2, 7, 9)));
        assertThat(Frames.hex(frame)).isEqualTo("00000020" + "a1" + "05" + "0000000000000005" + "026e31" + "026e32"
                + "0000000000000007" + "0000000000000009");
    }

    @Test
    void rejectsAForeignMagicAndAnUnknownVersionOrType() {
        byte[] frame = heartbeatFrame();
        assertRejected(patch(frame, 4, 0x2A), "not a raftkv peer frame");
        assertRejected(patch(frame, 4, 0xA2), "unsupported protocol version 2");
        assertRejected(patch(frame, 5, 99), "unknown message type 99");
        assertRejected(patch(frame, 5, 0), "unknown message type 0");
    }

    @Test
    void rejectsLengthPrefixesOutsideTheLimits() {
        assertRejected(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xa1, 5},
                "exceeds the limit of " + PeerMessageCodec.DEFAULT_MAX_FRAME_BYTES);
        assertRejected(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "exceeds the limit");
        assertRejected(new byte[] {0, 0, 0, 1, (byte) 0xa1}, "shorter than its header");
        assertRejected(new byte[] {0, 0}, "cannot hold a length prefix");
        assertRejected(new byte[] {0, 0, 0, 40, (byte) 0xa1, 5, 0}, "truncated: frame of 40 bytes, 3 present");
    }

    @Test
    void rejectsTrailingBytesAndUnknownFlagBits() {
        byte[] frame = heartbeatFrame();
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        assertRejected(Frames.withConsistentLength(longer), "1 trailing bytes after HEARTBEAT_REQUEST");

        byte[] vote = Frames.encode(codec, raft(new RequestVoteRequest(3, N1, N2, 10, 2, true)));
        assertRejected(patch(vote, vote.length - 1, 0x81), "flags has unknown bits set: 0x81");
    }

    /** Leadership transfer (thesis §3.10): TimeoutNow is type 11 with nothing after the header. */
    @Test
    void timeoutNowFrameMatchesTheDocumentedLayout() {
        byte[] frame = Frames.encode(codec, raft(new TimeoutNow(7, N1, N2)));
        assertThat(Frames.hex(frame)).isEqualTo("00000010" + "a1" + "0b" + "0000000000000007" + "026e31" + "026e32");
    }

    @Test
    void rejectsMalformedTimeoutNowAndTransferVoteFrames() {
        byte[] timeoutNow = Frames.encode(codec, raft(new TimeoutNow(7, N1, N2)));
        assertRejected(Frames.withConsistentLength(Arrays.copyOf(timeoutNow, timeoutNow.length + 1)),
                "1 trailing bytes after TIMEOUT_NOW");
        assertRejected(Frames.withConsistentLength(Arrays.copyOf(timeoutNow, timeoutNow.length - 1)), "to");
        assertRejected(patchLong(timeoutNow, 6, -7), "invalid TIMEOUT_NOW: term must be >= 0");

        byte[] transferVote = Frames.encode(codec, raft(new RequestVoteRequest(3, N1, N2, 10, 2, false, true)));
        assertThat(transferVote[transferVote.length - 1]).isEqualTo((byte) 0x02);
        assertRejected(patch(transferVote, transferVote.length - 1, 0x03),
                "invalid REQUEST_VOTE_REQUEST: a leadership transfer election has no pre-vote");
        assertRejected(patch(transferVote, transferVote.length - 1, 0x06), "flags has unknown bits set: 0x6");
    }

    @Test
    void rejectsBadNodeIds() {
        byte[] frame = heartbeatFrame();
        int fromLength = 4 + 1 + 1 + 8;
        assertRejected(patch(frame, fromLength + 1, '!'), "from: node id may hold only");
        assertRejected(patch(frame, fromLength, 0), "from length 0 outside 1..64");
        assertRejected(patch(frame, fromLength, 65), "from length 65 outside 1..64");
        assertRejected(patch(frame, fromLength, 0xC3), "from length 195 outside 1..64");
    }

    @Test
    void rejectsEntryCountsBeyondTheLimitOrTheFrame() {
        List<LogEntry> five = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            five.add(new LogEntry(i, 1, EntryType.NORMAL, new byte[1]));
        }
        byte[] frame = Frames.encode(codec, raft(new AppendEntriesRequest(1, N1, N2, 0, 0, five, 0)));
        PeerMessageCodec strict = new PeerMessageCodec(PeerMessageCodec.MIN_FRAME_BYTES, 4);
        assertThatThrownBy(() -> Frames.decode(strict, frame)).isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("entry count 5 exceeds the limit of 4");

        byte[] empty = Frames.encode(codec, raft(new AppendEntriesRequest(1, N1, N2, 0, 0, List.of(), 0)));
        int countOffset = AFTER_HEADER + 3 * 8;
        assertRejected(patchInt(empty, countOffset, 1000), "entry count 1000 cannot fit in the 0 bytes left");
        assertRejected(patchInt(empty, countOffset, -1), "entry count 4294967295 exceeds the limit");
    }

    @Test
    void rejectsByteStringsLongerThanTheFrameBeforeAllocating() {
        byte[] app = Frames.encode(codec, new AppMessage(N1, N2, 1, new byte[10]));
        int payloadLength = 4 + 1 + 1 + 3 + 3 + 4;
        assertRejected(patchInt(app, payloadLength, Integer.MAX_VALUE), "truncated: payload needs 2147483647 bytes");
        assertRejected(patchInt(app, payloadLength, -1), "payload length 4294967295 exceeds the limit");
    }

    @Test
    void rejectsUnknownEntryTypesAndBadConfigurationEntries() {
        byte[] frame = Frames.encode(codec, raft(new AppendEntriesRequest(1, N1, N2, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.CONFIG, CONFIG.encode())), 0)));
        int typeOffset = AFTER_HEADER + 3 * 8 + 4 + 8;
        assertRejected(patch(frame, typeOffset, 0), "unknown entry type 0");
        assertRejected(patch(frame, typeOffset, 4), "unknown entry type 4");
        byte[] garbage = Frames.encode(codec, raft(new AppendEntriesRequest(1, N1, N2, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.CONFIG, new byte[] {1, 2, 3})), 0)));
        assertRejected(garbage, "bad cluster configuration: truncated configuration entry");
    }

    @Test
    void rejectsFieldsTheMessageRecordsRefuse() {
        byte[] heartbeat = heartbeatFrame();
        assertRejected(patchLong(heartbeat, 6, -1), "invalid HEARTBEAT_REQUEST: term must be >= 0");
        assertRejected(patchLong(heartbeat, AFTER_HEADER, -5), "invalid HEARTBEAT_REQUEST: commitIndex must be >= 0");

        byte[] append = Frames.encode(codec, raft(new AppendEntriesRequest(2, N1, N2, 0, 0,
                List.of(new LogEntry(1, 2, EntryType.NORMAL, new byte[1])), 0)));
        assertRejected(patchLong(append, AFTER_HEADER + 3 * 8 + 4, 3), "entry term 3 above message term 2");
        assertRejected(patchLong(append, AFTER_HEADER, Long.MAX_VALUE), "index must be >= 1");

        byte[] chunk = Frames.encode(codec, raft(new InstallSnapshotRequest(6, N1, N2, 100, 5, CONFIG, 10, 4,
                new byte[6], true)));
        assertRejected(patch(chunk, chunk.length - 4 - 6 - 1, 0), "done must be set exactly on the chunk");
    }

    /**
     * A chunk whose offset + length would overflow: the record refuses to exist, and the codec
     * refuses the same bytes arriving from the wire before building one.
     */
    @Test
    void rejectsASnapshotChunkWhoseEndOverflows() {
        assertThatThrownBy(() -> new InstallSnapshotRequest(6, N1, N2, 100, 5, CONFIG, 5, Long.MAX_VALUE,
                new byte[1], false)).isInstanceOf(IllegalArgumentException.class);
        byte[] chunk = Frames.encode(codec, raft(new InstallSnapshotRequest(6, N1, N2, 100, 5, CONFIG, 10, 4,
                new byte[6], true)));
        int offsetField = chunk.length - 4 - 6 - 1 - 8; // [offset u64][flags u8][length u32][6 data bytes]
        assertRejected(patchLong(chunk, offsetField, Long.MAX_VALUE), "lies outside a 10-byte snapshot");
    }

    @Test
    void refusesToEncodeWhatAReceiverWouldReject() {
        PeerMessageCodec small = new PeerMessageCodec(PeerMessageCodec.MIN_FRAME_BYTES, 2);
        AppMessage big = new AppMessage(N1, N2, 1, new byte[PeerMessageCodec.MIN_FRAME_BYTES]);
        assertThat(small.fits(big)).isFalse();
        assertThatThrownBy(() -> small.encode(big, Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class);
        List<LogEntry> three = List.of(new LogEntry(1, 1, EntryType.NO_OP, null),
                new LogEntry(2, 1, EntryType.NO_OP, null), new LogEntry(3, 1, EntryType.NO_OP, null));
        assertThat(small.fits(raft(new AppendEntriesRequest(1, N1, N2, 0, 0, three, 0)))).isFalse();
        assertThat(small.fits(new AppMessage(N1, N2, 1, new byte[100]))).isTrue();
    }

    /** The round trips rely on {@link SameMessage}; it must see a difference anywhere, even inside arrays. */
    @Test
    void theComparisonTheseTestsUseSeesDifferencesInsideArraysAndLists() {
        PeerMessage chunk = raft(new InstallSnapshotRequest(6, N1, N2, 100, 5, CONFIG, 10, 4, new byte[] {1, 2}, false));
        assertThat(SameMessage.difference(chunk,
                raft(new InstallSnapshotRequest(6, N1, N2, 100, 5, CONFIG, 10, 4, new byte[] {1, 2}, false)))).isNull();
        assertThat(SameMessage.difference(chunk,
                raft(new InstallSnapshotRequest(6, N1, N2, 100, 5, CONFIG, 10, 4, new byte[] {1, 3}, false))))
                .contains("message.message.data");
        PeerMessage append = raft(new AppendEntriesRequest(2, N1, N2, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.NORMAL, new byte[] {7})), 0));
        assertThat(SameMessage.difference(append, raft(new AppendEntriesRequest(2, N1, N2, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.NORMAL, new byte[] {8})), 0)))).contains("entries[0].data");
        assertThat(SameMessage.difference(new AppMessage(N1, N2, 1, new byte[1]), new AppMessage(N1, N2, 2, new byte[1])))
                .contains("kind");
    }

    private void assertRoundTrip(PeerMessage message) throws CorruptFrameException {
        byte[] frame = Frames.encode(codec, message);
        assertThat(codec.frameBytes(message)).as("frameBytes of %s", message).isEqualTo(frame.length);
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        PeerMessage decoded = codec.decode(buf);
        assertThat(buf.isReadable()).as("decode consumed the whole frame").isFalse();
        assertThat(SameMessage.difference(message, decoded)).as("decoded %s", message).isNull();
    }

    private void assertRejected(byte[] frame, String reason) {
        assertThatThrownBy(() -> Frames.decode(codec, frame)).isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining(reason);
    }

    private byte[] heartbeatFrame() {
        return Frames.encode(codec, raft(new HeartbeatRequest(5, N1, N2, 7, 9)));
    }

    private static RaftEnvelope raft(RaftMessage message) {
        return new RaftEnvelope(message);
    }

    private static byte[] patch(byte[] frame, int offset, int value) {
        byte[] copy = frame.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    private static byte[] patchInt(byte[] frame, int offset, int value) {
        byte[] copy = frame.clone();
        Unpooled.wrappedBuffer(copy).setInt(offset, value);
        return copy;
    }

    private static byte[] patchLong(byte[] frame, int offset, long value) {
        byte[] copy = frame.clone();
        Unpooled.wrappedBuffer(copy).setLong(offset, value);
        return copy;
    }
}
