package io.raftkv.loadgen;

import java.util.Locale;

/**
 * How reads are served. Drivers map these to their store's terms: raftkv's stale reads are a
 * connection in {@code READONLY} mode, etcd's are serializable reads. {@link #LEASE} is, for raftkv,
 * a server start option ({@code raftkv server --read-mode lease}), not a per-connection one: the load
 * generator only labels such a run.
 */
public enum ReadMode {
    /** ReadIndex (raftkv) or etcd's default linearizable reads: one quorum round per read batch. */
    LINEARIZABLE("linearizable"),
    /** Leader lease (thesis §6.4.1): linearizable while clock drift stays bounded, no quorum round. */
    LEASE("lease"),
    /** Whatever the contacted server has applied: raftkv READONLY, etcd serializable. */
    STALE("stale");

    /** The name on the command line and in reports. */
    public final String label;

    ReadMode(String label) {
        this.label = label;
    }

    /** Parses a label; {@code serializable} is etcd's word for {@link #STALE}. */
    public static ReadMode parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("serializable")) {
            return STALE;
        }
        for (ReadMode mode : values()) {
            if (mode.label.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("read mode must be linearizable, lease or stale (serializable), not '"
                + text + "'");
    }
}
