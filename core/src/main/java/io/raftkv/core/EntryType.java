package io.raftkv.core;

/** What a log entry carries (R-LOG-1). */
public enum EntryType {
    /** A client command for the state machine. */
    NORMAL,
    /** The empty entry a new leader appends to commit earlier-term entries (paper §5.4.2, §8). */
    NO_OP,
    /** A cluster configuration, effective as soon as it is appended (thesis §4.1). */
    CONFIG
}
