package io.raftkv.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.transport.CorruptFrameException;
import io.raftkv.transport.PeerMessage;
import io.raftkv.transport.PeerMessageCodec;
import io.raftkv.transport.RaftEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer wire codec on the replication hot path: one AppendEntries frame of 64 entries of 100 B
 * (a typical batch under load), encoded into a reused buffer and decoded from one. Time per frame;
 * divide by the entry count for the cost per entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PeerCodecBenchmark {
    @Param({"64"})
    int entries;

    @Param({"100"})
    int entryBytes;

    private final PeerMessageCodec codec = PeerMessageCodec.withDefaults();
    private PeerMessage message;
    private ByteBuf encodeBuffer;
    private ByteBuf encoded;

    @Setup
    public void setUp() {
        List<LogEntry> batch = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            batch.add(new LogEntry(1_000 + i, 7, EntryType.NORMAL, new byte[entryBytes]));
        }
        message = new RaftEnvelope(new AppendEntriesRequest(7, NodeId.of("n1"), NodeId.of("n2"), 999, 7, batch, 990));
        int frameBytes = (int) codec.frameBytes(message);
        encodeBuffer = Unpooled.directBuffer(frameBytes);
        encoded = Unpooled.directBuffer(frameBytes);
        codec.encode(message, encoded);
    }

    @TearDown
    public void tearDown() {
        encodeBuffer.release();
        encoded.release();
    }

    @Benchmark
    public int encodeAppendEntries() {
        encodeBuffer.clear();
        codec.encode(message, encodeBuffer);
        return encodeBuffer.writerIndex();
    }

    @Benchmark
    public PeerMessage decodeAppendEntries() throws CorruptFrameException {
        encoded.readerIndex(0);
        return codec.decode(encoded);
    }
}
