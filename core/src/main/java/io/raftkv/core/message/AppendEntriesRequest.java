package io.raftkv.core.message;

import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import java.util.List;

/**
 * AppendEntries RPC arguments (paper Figure 2, §5.3). Entries are consecutive and start at
 * {@code prevLogIndex + 1}; an empty list only probes log consistency (liveness heartbeats are
 * {@link HeartbeatRequest}s, which never touch the log).
 *
 * @param prevLogIndex index of the log entry immediately preceding the new ones
 * @param prevLogTerm  term of the {@code prevLogIndex} entry (0 when {@code prevLogIndex} is 0)
 * @param entries      log entries to store, consecutive from {@code prevLogIndex + 1}
 * @param leaderCommit the leader's commitIndex
 */
public record AppendEntriesRequest(long term, NodeId from, NodeId to, long prevLogIndex, long prevLogTerm,
                                   List<LogEntry> entries, long leaderCommit) implements RaftMessage {
    public AppendEntriesRequest {
        Checks.header(term, from, to);
        Checks.nonNegative("prevLogIndex", prevLogIndex);
        Checks.nonNegative("prevLogTerm", prevLogTerm);
        Checks.nonNegative("leaderCommit", leaderCommit);
        entries = List.copyOf(entries);
        long expected = prevLogIndex + 1;
        for (LogEntry e : entries) {
            if (e.index() != expected++) {
                throw new IllegalArgumentException("entries must be consecutive from " + (prevLogIndex + 1));
            }
            if (e.term() > term) {
                throw new IllegalArgumentException("entry term " + e.term() + " above message term " + term);
            }
        }
    }

    /** Index of the last entry this request carries, or {@code prevLogIndex} if it carries none. */
    public long lastIndex() {
        return prevLogIndex + entries.size();
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }

    @Override
    public String toString() {
        return "AppendEntriesRequest[term=" + term + ", " + from + "->" + to + ", prev=" + prevLogIndex + "@"
                + prevLogTerm + ", entries=" + entries.size()
                + (entries.isEmpty() ? "" : "(" + entries.get(0).index() + ".." + lastIndex() + ")")
                + ", leaderCommit=" + leaderCommit + "]";
    }
}
