package io.raftkv.kv.resp;

/**
 * A request a command handler rejects while parsing it (wrong arity, syntax, a limit); its message
 * becomes the error reply. Thrown only inside parsing and caught by {@link CommandTable#prepare},
 * so a deep argument check can give up without threading an error value through every helper.
 */
final class CommandError extends RuntimeException {
    CommandError(String message) {
        super(message, null, false, false);
    }
}
