package io.raftkv.kv.resp;

import java.util.List;

/**
 * One command of the RESP server: its name, Redis-style metadata (what COMMAND reports, so client
 * libraries can route and validate) and its parser.
 *
 * @param name     upper-case name
 * @param arity    Redis arity: n means exactly n arguments including the name, -n at least n
 * @param flags    Redis command flags (write, readonly, fast, ...)
 * @param firstKey position of the first key argument, 0 if none
 * @param lastKey  position of the last key, -1 for "the last argument"
 * @param keyStep  distance between keys (2 for MSET)
 * @param handler  turns arguments into a {@link Prepared} command
 */
record CommandSpec(String name, int arity, List<String> flags, int firstKey, int lastKey, int keyStep,
                   Handler handler) {

    /** Parses the arguments of one request. May throw {@link CommandError}. */
    @FunctionalInterface
    interface Handler {
        Prepared prepare(Arguments arguments, ClientState client, ServerContext server);
    }

    CommandSpec {
        flags = List.copyOf(flags);
    }

    /** Whether {@code count} arguments (name included) satisfy the arity. */
    boolean acceptsArgumentCount(int count) {
        return arity >= 0 ? count == arity : count >= -arity;
    }
}
