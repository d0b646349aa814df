package io.raftkv.core;

/**
 * Reads bytes of a durable snapshot file, for sending it to a follower in chunks. Implementations
 * do a positional read of at most {@code maxBytes} (an open file channel, so that a snapshot deleted
 * by retention stays readable while a transfer uses it).
 */
@FunctionalInterface
public interface SnapshotChunkReader {
    byte[] read(long offset, int maxBytes);
}
