package io.raftkv.kv.resp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one {@link RespServer}, shown by INFO; updated from any event loop thread. */
final class ServerStats {
    final AtomicInteger connectedClients = new AtomicInteger();
    final AtomicLong connectionsReceived = new AtomicLong();
    final AtomicLong connectionsRejected = new AtomicLong();
    final AtomicLong commandsProcessed = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    final AtomicLong writeRetries = new AtomicLong();
    final long startedAtMillis = System.currentTimeMillis();
}
