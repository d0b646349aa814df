package io.raftkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The record format: every type round-trips, and damage is recognised before anything is trusted. */
class RecordCodecTest {
    private final CRC32C crc = new CRC32C();

    @Test
    void entryRoundTripsForEveryEntryType() {
        for (EntryType type : EntryType.values()) {
            LogEntry entry = new LogEntry(42, 7, type, new byte[] {1, 2, 3});
            ByteBuffer buffer = encode(b -> RecordCodec.putEntry(b, crc, entry));
            assertThat(buffer.remaining()).isEqualTo(RecordCodec.entryFrameBytes(3));
            RecordView view = decodeOk(buffer);
            assertThat(view.type).isEqualTo(RecordType.ENTRY);
            assertThat(RecordCodec.toEntry(buffer, view)).isEqualTo(entry);
        }
    }

    @Test
    void hardStateRoundTripsWithAndWithoutAVote() {
        for (HardState state : new HardState[] {HardState.INITIAL, new HardState(9, NodeId.of("n-1.a_b"), 5),
                new HardState(3, NodeId.of("x".repeat(NodeId.MAX_LENGTH)), 0)}) {
            ByteBuffer buffer = encode(b -> RecordCodec.putHardState(b, crc, state));
            assertThat(buffer.remaining()).isEqualTo(RecordCodec.hardStateFrameBytes(state));
            assertThat(decodeOk(buffer).hardState).isEqualTo(state);
        }
    }

    @Test
    void indexAndCommitRecordsRoundTrip() {
        ByteBuffer truncate = encode(b -> RecordCodec.putIndexRecord(b, crc, RecordType.TRUNCATE, 17));
        RecordView view = decodeOk(truncate);
        assertThat(view.type).isEqualTo(RecordType.TRUNCATE);
        assertThat(view.index).isEqualTo(17);
        ByteBuffer commit = encode(b -> RecordCodec.putCommit(b, crc, 1234, 99));
        view = decodeOk(commit);
        assertThat(view.type).isEqualTo(RecordType.COMMIT);
        assertThat(view.batchStart).isEqualTo(1234);
        assertThat(view.lastIndex).isEqualTo(99);
    }

    @Test
    void everySingleBitFlipIsDetected() {
        LogEntry entry = new LogEntry(5, 2, EntryType.NORMAL, new byte[] {9, 8, 7, 6, 5});
        ByteBuffer clean = encode(b -> RecordCodec.putEntry(b, crc, entry));
        for (int bit = 0; bit < clean.remaining() * 8; bit++) {
            ByteBuffer damaged = ByteBuffer.allocate(clean.remaining()).put(clean.duplicate()).flip();
            int at = bit / 8;
            damaged.put(at, (byte) (damaged.get(at) ^ (1 << (bit % 8))));
            int length = damaged.getInt(0);
            boolean rejected = length != clean.getInt(0) || length + 8 > damaged.remaining()
                    || RecordCodec.decode(damaged, 0, length, new RecordView(), crc) != null;
            assertThat(rejected).as("bit %d", bit).isTrue();
        }
    }

    @Test
    void layoutCheckRejectsLengthsThatDoNotMatchTheType() {
        LogEntry tenBytes = new LogEntry(1, 1, EntryType.NORMAL, new byte[10]);
        ByteBuffer entry = encode(b -> RecordCodec.putEntry(b, crc, tenBytes));
        int length = entry.getInt(0);
        assertThat(RecordCodec.plausible(entry, 0, length)).isTrue();
        assertThat(RecordCodec.plausible(entry, 0, length + 1)).isFalse();
        assertThat(RecordCodec.plausible(entry, 0, 0)).isFalse();
        assertThat(RecordCodec.plausible(entry, 0, RecordCodec.MAX_RECORD_LENGTH + 1)).isFalse();
        entry.put(8, (byte) 99);
        assertThat(RecordCodec.plausible(entry, 0, length)).isFalse();
        assertThat(RecordCodec.decode(entry, 0, length, new RecordView(), crc)).contains("unknown record type 99");
    }

    @Test
    void entryTypeCodesAreExplicitAndStable() {
        assertThat(RecordCodec.entryTypeCode(EntryType.NORMAL)).isEqualTo((byte) 1);
        assertThat(RecordCodec.entryTypeCode(EntryType.NO_OP)).isEqualTo((byte) 2);
        assertThat(RecordCodec.entryTypeCode(EntryType.CONFIG)).isEqualTo((byte) 3);
        assertThat(RecordCodec.entryType((byte) 4)).isNull();
    }

    @Test
    void segmentNamesRoundTripAndRejectOthers() {
        SegmentName name = new SegmentName(3, 1001);
        assertThat(name.fileName()).isEqualTo("00000000000000000003-00000000000000001001.wal");
        assertThat(SegmentName.parse(name.fileName())).contains(name);
        assertThat(SegmentName.parse("00000000000000000001.wal")).isEmpty();
        assertThat(SegmentName.parse("99999999999999999999-00000000000000000001.wal")).isEmpty();
        assertThat(SegmentName.parse("00000000000000000000-00000000000000000001.wal")).isEmpty();
    }

    private interface Encoder {
        void put(ByteBuffer buffer);
    }

    private static ByteBuffer encode(Encoder encoder) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        encoder.put(buffer);
        return buffer.flip();
    }

    private RecordView decodeOk(ByteBuffer buffer) {
        RecordView view = new RecordView();
        int length = buffer.getInt(0);
        assertThat(RecordCodec.decode(buffer, 0, length, view, crc)).isNull();
        assertThat(view.frameBytes).isEqualTo(buffer.remaining());
        return view;
    }
}
