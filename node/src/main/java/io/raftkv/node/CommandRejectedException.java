package io.raftkv.node;

/**
 * A deterministic failure of one command, thrown by {@link StateMachine#apply}: every node fails
 * the same command the same way, so the failure is that command's result rather than a reason to
 * stop (R-OPS-6).
 */
public final class CommandRejectedException extends RuntimeException {
    public CommandRejectedException(String message) {
        super(message, null, false, false);
    }
}
