package io.raftkv.storage.wal;

import java.io.IOException;

/** A write was submitted to a log that is closed or closing. */
public final class WalClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what was refused */
    public WalClosedException(String message) {
        super(message);
    }
}
