package io.raftkv.kv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot format of the key-value store: a {@link KvState} as a stream, versioned, with every
 * length bounded and a CRC32C over everything, so a truncated or corrupt snapshot is rejected with
 * a clear {@link IOException} and never becomes partial state.
 *
 * <pre>
 * u32  magic 0x524B5653 ("RKVS")
 * u16  format version (1)
 * i64  lastAppliedIndex, i64 nowMs, i64 lastSessionSweepMs
 * i32  session count (0..SESSIONS_MAX), then per session:
 *        i64 id, i64 lastActiveMs, i64 firstOutstandingSequence,
 *        i32 cached count (0..SESSION_CACHED_RESULTS_MAX), then per result: i64 sequence, i32 length, bytes
 * i64  key count (&gt;= 0), then per key: i32 key length (0..KEY_BYTES_MAX), key, i32 value length
 *        (0..VALUE_BYTES_CEILING), value
 * u32  CRC32C of every byte above
 * end of stream
 * </pre>
 *
 * Keys are written in the trie's hash order. Reading allocates as data arrives (never a whole
 * declared length up front), so a corrupt length cannot exhaust memory before it is detected.
 */
final class KvSnapshotFormat {

    static final int MAGIC = 0x524B5653;
    static final int FORMAT_VERSION = 1;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int RESULT_BYTES_MAX = KvLimits.VALUE_BYTES_CEILING;

    private KvSnapshotFormat() {
    }

    /** Writes {@code state} to {@code out}; flushes but does not close it. */
    static void write(KvState state, OutputStream out) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32C());
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(checked, BUFFER_BYTES));
        data.writeInt(MAGIC);
        data.writeShort(FORMAT_VERSION);
        data.writeLong(state.lastAppliedIndex());
        data.writeLong(state.nowMs());
        data.writeLong(state.sessions().lastSweepMs);
        writeSessions(state.sessions(), data);
        writeData(state.data(), data);
        data.flush();
        int checksum = (int) checked.getChecksum().getValue();
        DataOutputStream trailer = new DataOutputStream(out);
        trailer.writeInt(checksum);
        trailer.flush();
    }

    private static void writeSessions(SessionTable sessions, DataOutputStream data) throws IOException {
        data.writeInt(sessions.size());
        IOException[] failure = {null};
        sessions.forEach(session -> {
            if (failure[0] != null) {
                return;
            }
            try {
                data.writeLong(session.id);
                data.writeLong(session.lastActiveMs);
                data.writeLong(session.firstOutstandingSequence);
                data.writeInt(session.cachedCount());
                for (int i = 0; i < session.cachedCount(); i++) {
                    data.writeLong(session.cachedSequence(i));
                    byte[] result = session.cachedResultAt(i);
                    data.writeInt(result.length);
                    data.write(result);
                }
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void writeData(PersistentHashMap<Bytes, Bytes> map, DataOutputStream data) throws IOException {
        data.writeLong(map.size());
        IOException[] failure = {null};
        map.forEach((key, value) -> {
            if (failure[0] != null) {
                return;
            }
            try {
                data.writeInt(key.length());
                data.write(key.array());
                data.writeInt(value.length());
                data.write(value.array());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Reads a whole snapshot; the stream must end right after it. */
    static KvState read(InputStream in) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(in, BUFFER_BYTES), new CRC32C());
        DataInputStream data = new DataInputStream(checked);
        try {
            int magic = data.readInt();
            if (magic != MAGIC) {
                throw corrupt(String.format("bad magic 0x%08x (not a raftkv KV snapshot)", magic));
            }
            int version = data.readUnsignedShort();
            if (version != FORMAT_VERSION) {
                throw new IOException("KV snapshot has format version " + version + "; this node reads only "
                        + FORMAT_VERSION);
            }
            long lastAppliedIndex = data.readLong();
            long nowMs = data.readLong();
            long lastSweepMs = data.readLong();
            SessionTable sessions = readSessions(data, lastSweepMs);
            PersistentHashMap<Bytes, Bytes> map = readData(data);
            int expected = (int) checked.getChecksum().getValue();
            int actual = data.readInt();
            if (expected != actual) {
                throw corrupt(String.format("checksum mismatch (stored 0x%08x, computed 0x%08x)", actual, expected));
            }
            if (checked.read() != -1) {
                throw corrupt("trailing bytes after the checksum");
            }
            return new KvState(map, sessions, nowMs, lastAppliedIndex);
        } catch (EOFException e) {
            throw corrupt("truncated");
        }
    }

    private static SessionTable readSessions(DataInputStream data, long lastSweepMs) throws IOException {
        int count = readCount(data, KvLimits.SESSIONS_MAX, "session count");
        SessionTable sessions = new SessionTable(PersistentHashMap.empty(), lastSweepMs);
        for (int s = 0; s < count; s++) {
            long id = data.readLong();
            long lastActiveMs = data.readLong();
            long firstOutstanding = data.readLong();
            int cached = readCount(data, KvLimits.SESSION_CACHED_RESULTS_MAX, "cached result count");
            long[] sequences = new long[cached];
            byte[][] results = new byte[cached][];
            for (int i = 0; i < cached; i++) {
                sequences[i] = data.readLong();
                if (sequences[i] < firstOutstanding || (i > 0 && sequences[i] <= sequences[i - 1])) {
                    throw corrupt("session " + id + " has out-of-order cached sequence numbers");
                }
                results[i] = readBlob(data, RESULT_BYTES_MAX, "cached result");
            }
            if (id == 0 || sessions.contains(id)) {
                throw corrupt("invalid or duplicate session id " + id);
            }
            sessions = sessions.put(new ClientSession(id, lastActiveMs, firstOutstanding, sequences, results));
        }
        return sessions;
    }

    private static PersistentHashMap<Bytes, Bytes> readData(DataInputStream data) throws IOException {
        long count = data.readLong();
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw corrupt("key count out of range: " + count);
        }
        PersistentHashMap<Bytes, Bytes> map = PersistentHashMap.empty();
        for (long i = 0; i < count; i++) {
            Bytes key = Bytes.wrapOwned(readBlob(data, KvLimits.KEY_BYTES_MAX, "key"));
            Bytes value = Bytes.wrapOwned(readBlob(data, KvLimits.VALUE_BYTES_CEILING, "value"));
            map = map.put(key, value);
        }
        if (map.size() != count) {
            throw corrupt("duplicate keys (" + count + " declared, " + map.size() + " distinct)");
        }
        return map;
    }

    private static int readCount(DataInputStream data, int max, String what) throws IOException {
        int count = data.readInt();
        if (count < 0 || count > max) {
            throw corrupt(what + " out of range: " + count + " (max " + max + ")");
        }
        return count;
    }

    private static byte[] readBlob(DataInputStream data, int max, String what) throws IOException {
        int length = readCount(data, max, what + " length");
        byte[] bytes = data.readNBytes(length);
        if (bytes.length != length) {
            throw corrupt("truncated " + what);
        }
        return bytes;
    }

    private static IOException corrupt(String detail) {
        return new IOException("corrupt KV snapshot: " + detail);
    }
}
