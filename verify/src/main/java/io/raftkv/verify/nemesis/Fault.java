package io.raftkv.verify.nemesis;

/** A fault in place, and how to undo it. */
public interface Fault {
    /** What was done, for the history and the report, e.g. {@code kill -9 n2 (leader)}. */
    String description();

    /** Undoes the fault: restarts, resumes or reconnects what it broke. */
    void heal() throws Exception;
}
