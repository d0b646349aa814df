package io.raftkv.node;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fail-stop for the node (R-OPS-6, etcd's storage contract): a storage error or a non-deterministic
 * state machine failure stops the node loudly rather than let replicas diverge or acknowledge
 * something unpersisted. The first failure wins; it is logged once and the node shuts down.
 */
final class NodeHealth {
    private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

    private final String nodeId;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile Runnable onFailure = () -> { };

    NodeHealth(String nodeId) {
        this.nodeId = nodeId;
    }

    void onFailure(Runnable action) {
        onFailure = action;
    }

    void fail(String what, Throwable cause) {
        String description = what + ": " + cause;
        if (failure.compareAndSet(null, description)) {
            log.error("{}: {} — the node stops", nodeId, what, cause);
            Thread stopper = new Thread(onFailure, "raft-failstop-" + nodeId);
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    /** Why the node failed, or null while healthy. */
    String failure() {
        return failure.get();
    }
}
