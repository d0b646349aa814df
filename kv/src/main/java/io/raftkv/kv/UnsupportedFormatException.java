package io.raftkv.kv;

/**
 * A log entry or snapshot written in a format version this build does not know, i.e. by newer
 * software. Unlike a malformed command this is not deterministic across a mixed-version cluster
 * (newer replicas would apply it), so it must stop this node rather than let it diverge
 * (R-OPS-6); the fix is to upgrade the node.
 */
public final class UnsupportedFormatException extends IllegalStateException {
    public UnsupportedFormatException(String message) {
        super(message);
    }
}
