package io.raftkv.verify.history;

/**
 * The three workloads of {@code raftkv verify}, each on its own keys and with its own checker.
 * Their names are the ones the command line and the history file use.
 */
public enum Workload {
    /** SET of unique values and GET on a few keys at a time; checked for linearizability per key. */
    REGISTER("register"),
    /** APPEND of unique tokens and GET of the whole list; checked against one total order. */
    APPEND("append"),
    /** INCR and GET of one counter; checked against the acknowledged and unknown increments. */
    COUNTER("counter");

    private final String label;

    Workload(String label) {
        this.label = label;
    }

    /** The lower-case name used on the command line and in the history file. */
    public String label() {
        return label;
    }

    /**
     * The workload with this label.
     *
     * @throws IllegalArgumentException for an unknown label
     */
    public static Workload ofLabel(String label) {
        for (Workload w : values()) {
            if (w.label.equals(label)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + label + "' (register, append, counter)");
    }
}
