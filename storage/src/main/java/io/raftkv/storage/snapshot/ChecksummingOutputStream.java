package io.raftkv.storage.snapshot;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Counts and checksums the state machine's data on its way to the file, so that commit needs
 * neither the data length in advance nor a second pass over the file. Sits below the buffer, so the
 * checksum is updated a buffer at a time.
 */
final class ChecksummingOutputStream extends FilterOutputStream {
    private final CRC32C crc = new CRC32C();
    private long countBytes;

    ChecksummingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        crc.update(b);
        countBytes++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        out.write(bytes, offset, length);
        crc.update(bytes, offset, length);
        countBytes += length;
    }

    /** Bytes written so far. */
    long countBytes() {
        return countBytes;
    }

    /** Adds bytes that are not written through this stream (the header) to the checksum. */
    void updateChecksum(byte[] bytes) {
        crc.update(bytes, 0, bytes.length);
    }

    long checksum() {
        return crc.getValue();
    }
}
