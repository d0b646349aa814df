package io.raftkv.kv.resp;

import io.raftkv.kv.KvBackend;
import java.util.concurrent.atomic.AtomicLong;

/** What every connection of one {@link RespServer} shares: configuration, backend, commands, counters. */
final class ServerContext {
    final RespServerConfig config;
    final KvBackend backend;
    final CommandTable commands;
    final ServerStats stats = new ServerStats();
    final SessionIds sessionIds = new SessionIds();
    final AtomicLong clientIds = new AtomicLong();
    /** The bound TCP port, set once the server is listening. */
    volatile int port;

    ServerContext(RespServerConfig config, KvBackend backend, CommandTable commands) {
        this.config = config;
        this.backend = backend;
        this.commands = commands;
    }
}
