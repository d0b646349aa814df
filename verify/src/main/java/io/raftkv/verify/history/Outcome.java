package io.raftkv.verify.history;

/**
 * How an operation ended, as the client saw it. The distinction between {@link #FAIL} and
 * {@link #UNKNOWN} is what makes a history checkable: only errors the server documents as
 * "certainly not applied" (docs/kv.md) are failures; a timeout, a dropped connection or
 * {@code -UNKNOWN} means the operation may take effect at any time after its invocation, or never.
 */
public enum Outcome {
    /** Acknowledged, with its result. */
    OK,
    /** Certainly did not take effect ({@code -NOTLEADER}, {@code -TRYAGAIN}, {@code -BUSY}, refused connection). */
    FAIL,
    /** May or may not take effect, at any time after its invocation. */
    UNKNOWN
}
