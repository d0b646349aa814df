package io.raftkv.verify;

import java.io.IOException;

/** The cluster under test could not be started, so nothing was tested. */
public final class ClusterStartException extends IOException {
    private static final long serialVersionUID = 1L;

    public ClusterStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
