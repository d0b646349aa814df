package io.raftkv.transport;

/**
 * A snapshot of one outbound connection (one peer, one {@link TrafficClass}).
 *
 * @param connected         the connection is established
 * @param queuedMessages    messages waiting in the transport's queue for this connection
 * @param queuedBytes       their frame bytes; never above the class's queue limit
 * @param pendingWriteBytes bytes encoded and handed to Netty but not yet written to the socket;
 *                          stays near the class's write-buffer high water mark (plus one frame)
 */
public record LaneStats(boolean connected, int queuedMessages, long queuedBytes, long pendingWriteBytes) {}
