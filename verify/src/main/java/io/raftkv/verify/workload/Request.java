package io.raftkv.verify.workload;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Workload;

/** One operation a client is about to send. */
public record Request(Workload workload, Fn fn, String key, String value) {
    /** The Redis command for it. */
    public String[] command() {
        return value == null ? new String[] {fn.command(), key} : new String[] {fn.command(), key, value};
    }
}
