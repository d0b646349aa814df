package io.raftkv.transport;

import io.netty.buffer.ByteBuf;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.AppendEntriesRequest;

/**
 * The versioned binary wire format of {@link PeerMessage}s. Stateless and thread-safe.
 *
 * <h2>Frame</h2>
 * All integers are big-endian; {@code i64}/{@code i32} are two's complement, {@code u8}/{@code u32}
 * unsigned.
 * <pre>
 *   u32  length         bytes that follow this field; 2 ..= maxFrameBytes
 *   u8   magic/version  0xA1: high nibble 0xA marks a raftkv peer frame, low nibble the version (1)
 *   u8   type           see below
 *   ...  body           the fields of the type, in order; nothing may follow them
 * </pre>
 * Field encodings: {@code id} = u8 length (1..64) + that many ASCII bytes of a {@link NodeId};
 * {@code bytes} = u32 length + that many bytes; {@code flags} = u8 whose unnamed bits must be 0.
 * Raft messages (types 1..11) start with {@code i64 term, id from, id to}, then:
 * <pre>
 *    1 RequestVoteRequest      i64 lastLogIndex, i64 lastLogTerm, flags (0x01 preVote, 0x02 leadershipTransfer;
 *                              not both)
 *    2 RequestVoteResponse     flags (0x01 voteGranted, 0x02 preVote)
 *    3 AppendEntriesRequest    i64 prevLogIndex, i64 prevLogTerm, i64 leaderCommit, u32 count,
 *                              count x (i64 term, u8 entryType (1 NORMAL, 2 NO_OP, 3 CONFIG), bytes data);
 *                              entry i has index prevLogIndex + 1 + i
 *    4 AppendEntriesResponse   flags (0x01 success), i64 matchIndex, i64 rejectedIndex,
 *                              i64 conflictTerm, i64 conflictIndex
 *    5 HeartbeatRequest        i64 commitIndex, i64 readRound
 *    6 HeartbeatResponse       i64 readRound
 *    7 ReadIndexRequest        i64 requestId
 *    8 ReadIndexResponse       i64 requestId, i64 readIndex
 *    9 InstallSnapshotRequest  i64 lastIncludedIndex, i64 lastIncludedTerm, bytes config
 *                              (ClusterConfig.encode), i64 totalBytes, i64 offset, flags (0x01 done), bytes data
 *   10 InstallSnapshotResponse i64 lastIncludedIndex, i64 nextOffset, flags (0x01 installed)
 *   11 TimeoutNow              (nothing more: the header says it all; thesis §3.10)
 *   64 AppMessage              id from, id to, i32 kind, bytes payload
 * </pre>
 *
 * <h2>Validation</h2>
 * {@link #decode} checks every length against the bytes left in the frame (and against a limit)
 * before allocating, entry types and flags against the known values, node ids through
 * {@link NodeId}, entry counts against {@code maxEntriesPerFrame}, configurations through
 * {@code ClusterConfig.decode}, and finally runs the message record's own checks. Any violation is a
 * {@link CorruptFrameException}; nothing else escapes, and nothing larger than the frame is allocated.
 */
public final class PeerMessageCodec {
    /** Size of the length prefix. */
    public static final int LENGTH_FIELD_BYTES = 4;
    /** The magic/version byte of this protocol version. */
    public static final int MAGIC_VERSION = 0xA1;
    /** Default largest frame: far above a 1 MiB snapshot chunk or AppendEntries batch plus headers. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
    /**
     * Default largest entry count in one AppendEntries frame. It bounds the objects one frame can make
     * the receiver create (an empty entry is 13 bytes on the wire but a few dozen on the heap), and is
     * far above the core's default batch of 512 entries.
     */
    public static final int DEFAULT_MAX_ENTRIES_PER_FRAME = 65_536;
    /** Smallest accepted {@code maxFrameBytes}: room for any fixed-size message with two longest ids. */
    public static final int MIN_FRAME_BYTES = 4096;

    private static final int MAGIC_MASK = 0xF0;
    private static final int MAGIC = MAGIC_VERSION & MAGIC_MASK;
    private static final int HEADER_BYTES = 2;

    private final int maxFrameBytes;
    private final int maxEntriesPerFrame;

    /**
     * @param maxFrameBytes      largest accepted value of the length prefix, at least {@link #MIN_FRAME_BYTES}
     * @param maxEntriesPerFrame largest entry count in one AppendEntries frame, at least 1
     */
    public PeerMessageCodec(int maxFrameBytes, int maxEntriesPerFrame) {
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be >= " + MIN_FRAME_BYTES + ": " + maxFrameBytes);
        }
        if (maxEntriesPerFrame < 1) {
            throw new IllegalArgumentException("maxEntriesPerFrame must be >= 1: " + maxEntriesPerFrame);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.maxEntriesPerFrame = maxEntriesPerFrame;
    }

    /** A codec with {@link #DEFAULT_MAX_FRAME_BYTES} and {@link #DEFAULT_MAX_ENTRIES_PER_FRAME}. */
    public static PeerMessageCodec withDefaults() {
        return new PeerMessageCodec(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_ENTRIES_PER_FRAME);
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public int maxEntriesPerFrame() {
        return maxEntriesPerFrame;
    }

    /** Bytes the whole frame of {@code message} takes on the wire, length prefix included. */
    public long frameBytes(PeerMessage message) {
        return LENGTH_FIELD_BYTES + HEADER_BYTES + bodyBytes(message);
    }

    /** True if {@code message} can be sent: its frame respects {@code maxFrameBytes} and the entry limit. */
    public boolean fits(PeerMessage message) {
        if (message instanceof RaftEnvelope envelope
                && envelope.message() instanceof AppendEntriesRequest append
                && append.entries().size() > maxEntriesPerFrame) {
            return false;
        }
        return frameBytes(message) - LENGTH_FIELD_BYTES <= maxFrameBytes;
    }

    /**
     * Appends the frame of {@code message} to {@code out}.
     *
     * @throws IllegalArgumentException if the message does not {@link #fits fit}: a receiver would
     *                                  reject the frame, so it must never be sent
     */
    public void encode(PeerMessage message, ByteBuf out) {
        if (!fits(message)) {
            throw new IllegalArgumentException(message + " does not fit in a frame of " + maxFrameBytes
                    + " bytes and " + maxEntriesPerFrame + " entries");
        }
        out.writeInt((int) (frameBytes(message) - LENGTH_FIELD_BYTES));
        out.writeByte(MAGIC_VERSION);
        out.writeByte(WireType.of(message).code);
        if (message instanceof RaftEnvelope envelope) {
            envelope.message().accept(new RaftBodyWriter(out));
        } else if (message instanceof AppMessage app) {
            RaftBodyWriter.writeNodeId(out, app.from());
            RaftBodyWriter.writeNodeId(out, app.to());
            out.writeInt(app.kind());
            RaftBodyWriter.writeBytes(out, app.payload());
        }
    }

    /**
     * Reads one whole frame, length prefix included, from {@code in}, leaving its reader index after
     * the frame. {@code in} may hold more bytes (the next frames); if it holds less than the frame the
     * frame is reported truncated.
     */
    public PeerMessage decode(ByteBuf in) throws CorruptFrameException {
        if (in.readableBytes() < LENGTH_FIELD_BYTES) {
            throw new CorruptFrameException("truncated: " + in.readableBytes() + " bytes cannot hold a length prefix");
        }
        long length = in.readUnsignedInt();
        checkLength(length);
        if (in.readableBytes() < length) {
            throw new CorruptFrameException("truncated: frame of " + length + " bytes, " + in.readableBytes()
                    + " present");
        }
        ByteBuf frame = in.readSlice((int) length);
        checkMagicVersion(frame.readUnsignedByte());
        int code = frame.readUnsignedByte();
        WireType type = WireType.fromCode(code);
        if (type == null) {
            throw new CorruptFrameException("unknown message type " + code);
        }
        try {
            return new BodyReader(new FrameReader(frame), maxEntriesPerFrame).read(type);
        } catch (IllegalArgumentException e) {
            // A record's compact constructor rejected a field (a negative index, an entry term above
            // the message term, ...): the bytes were well-formed but the message is not.
            throw new CorruptFrameException("invalid " + type + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks a length prefix alone, so a stream decoder can reject an oversized frame before
     * buffering it.
     */
    public void checkLength(long length) throws CorruptFrameException {
        if (length > maxFrameBytes) {
            throw new CorruptFrameException("frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
        }
        if (length < HEADER_BYTES) {
            throw new CorruptFrameException("frame of " + length + " bytes is shorter than its header");
        }
    }

    /** Checks the magic/version byte alone, so a stream decoder can reject a foreign protocol early. */
    public void checkMagicVersion(int magicVersion) throws CorruptFrameException {
        if ((magicVersion & MAGIC_MASK) != MAGIC) {
            throw new CorruptFrameException("not a raftkv peer frame (magic/version byte 0x"
                    + Integer.toHexString(magicVersion) + ")");
        }
        if (magicVersion != MAGIC_VERSION) {
            throw new CorruptFrameException("unsupported protocol version " + (magicVersion & ~MAGIC_MASK)
                    + " (this server speaks " + (MAGIC_VERSION & ~MAGIC_MASK) + ")");
        }
    }

    private static long bodyBytes(PeerMessage message) {
        if (message instanceof RaftEnvelope envelope) {
            return envelope.message().accept(RaftBodySize.INSTANCE);
        }
        AppMessage app = (AppMessage) message;
        return RaftBodySize.nodeIdBytes(app.from()) + RaftBodySize.nodeIdBytes(app.to()) + Integer.BYTES
                + Integer.BYTES + app.payload().length;
    }
}
