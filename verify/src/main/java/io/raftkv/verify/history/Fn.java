package io.raftkv.verify.history;

/** What a client operation does, and the Redis command it is sent as. */
public enum Fn {
    /** {@code GET key}; the result is the value read, or null for a missing key. */
    READ("GET"),
    /** {@code SET key value}. */
    WRITE("SET"),
    /** {@code APPEND key token}; tokens end with {@link Op#APPEND_SEPARATOR}. */
    APPEND("APPEND"),
    /** {@code INCR key}; the result is the counter's new value in decimal. */
    INCR("INCR");

    private final String command;

    Fn(String command) {
        this.command = command;
    }

    /** The Redis command name. */
    public String command() {
        return command;
    }
}
