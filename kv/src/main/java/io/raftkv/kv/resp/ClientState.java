package io.raftkv.kv.resp;

import io.raftkv.kv.ReadMode;

/**
 * What the server knows about one client connection: its id, name and read mode. Touched only by
 * the connection's event loop thread.
 */
final class ClientState {

    /** Connection id, unique within this server process (CLIENT ID). */
    final long id;
    /** The peer's address, for CLIENT INFO and logs. */
    final String address;
    /** Set by CLIENT SETNAME or HELLO SETNAME; null if none. */
    String name;
    /** Read mode of this connection's reads: READONLY selects STALE, READWRITE restores the default. */
    ReadMode readMode;

    ClientState(long id, String address, ReadMode readMode) {
        this.id = id;
        this.address = address;
        this.readMode = readMode;
    }
}
