package io.raftkv.loadgen;

/** The two operations of the load: a write of one key ({@code SET}, etcd put) and a read of one key. */
public enum OpType {
    WRITE("write"),
    READ("read");

    /** The name in reports and JSON. */
    public final String label;

    OpType(String label) {
        this.label = label;
    }
}
