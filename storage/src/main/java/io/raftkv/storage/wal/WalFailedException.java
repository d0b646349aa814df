package io.raftkv.storage.wal;

import java.io.IOException;

/**
 * A write or fsync of the log failed, so the log refuses every later write (fail-stop). After a
 * failed fsync the state of the file is unknown (the kernel may have dropped the dirty pages), so
 * retrying could acknowledge data that is not on disk; etcd's storage contract treats it as fatal
 * too. The node must stop and recover by reopening the log.
 */
public final class WalFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause   the original error, or null
     */
    public WalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
