package io.raftkv.storage.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * The data section of a snapshot file, as an {@link InputStream} that checks the file's CRC32C as
 * it goes. The check runs inside the read that delivers the last data byte, before that read
 * returns, so a state machine that reads exactly the data length (and never sees end of stream)
 * still gets {@link SnapshotCorruptedException} instead of the last bytes of a corrupt snapshot.
 *
 * <p>The checksum covers the data first and the header second (see {@link SnapshotStore}); the
 * header bytes, already read and parsed, are fed in at the end.
 */
final class VerifyingDataStream extends InputStream {
    private final InputStream file;
    private final byte[] header;
    private final String fileName;
    private final CRC32C crc = new CRC32C();
    private long remainingBytes;

    /**
     * @param file      positioned at the first data byte; closed with this stream
     * @param header    the encoded header, fed to the checksum after the data
     * @param dataBytes how many data bytes follow before the trailer
     */
    VerifyingDataStream(InputStream file, byte[] header, long dataBytes, String fileName) throws IOException {
        this.file = file;
        this.header = header;
        this.fileName = fileName;
        this.remainingBytes = dataBytes;
        if (dataBytes == 0) {
            verifyTrailer();
        }
    }

    @Override
    public int read() throws IOException {
        if (remainingBytes == 0) {
            return -1;
        }
        int b = file.read();
        if (b < 0) {
            throw truncated();
        }
        crc.update(b);
        if (--remainingBytes == 0) {
            verifyTrailer();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (remainingBytes == 0) {
            return -1;
        }
        int n = file.read(buffer, offset, (int) Math.min(length, remainingBytes));
        if (n < 0) {
            throw truncated();
        }
        crc.update(buffer, offset, n);
        remainingBytes -= n;
        if (remainingBytes == 0) {
            verifyTrailer();
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(remainingBytes, file.available());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private void verifyTrailer() throws IOException {
        byte[] trailer = file.readNBytes(SnapshotFormat.TRAILER_BYTES);
        if (trailer.length != SnapshotFormat.TRAILER_BYTES) {
            throw SnapshotCorruptedException.malformed(fileName, "truncated trailer");
        }
        crc.update(header, 0, header.length);
        long expected = ((trailer[0] & 0xFFL) << 24) | ((trailer[1] & 0xFFL) << 16)
                | ((trailer[2] & 0xFFL) << 8) | (trailer[3] & 0xFFL);
        long actual = crc.getValue();
        if (expected != actual) {
            throw SnapshotCorruptedException.badChecksum(fileName, expected, actual);
        }
    }

    private SnapshotCorruptedException truncated() {
        return SnapshotCorruptedException.malformed(fileName,
                "truncated: data ended " + remainingBytes + " bytes early");
    }
}
