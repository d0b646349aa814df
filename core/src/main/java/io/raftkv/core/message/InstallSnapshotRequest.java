package io.raftkv.core.message;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.NodeId;
import java.util.Objects;

/**
 * One chunk of a snapshot a leader sends to a follower too far behind for AppendEntries (paper §7,
 * Figure 13). The snapshot file travels byte for byte, in chunks at increasing offsets; the follower
 * answers each with the offset it expects next, so a lost chunk is resent from there.
 *
 * @param lastIncludedIndex the snapshot replaces all entries up through this index
 * @param lastIncludedTerm  term of lastIncludedIndex
 * @param config            the configuration at lastIncludedIndex (thesis §5.1)
 * @param totalBytes        size of the whole snapshot file
 * @param offset            byte offset of this chunk in the file
 * @param data              the chunk's bytes
 * @param done              true for the last chunk ({@code offset + data.length == totalBytes})
 */
public record InstallSnapshotRequest(long term, NodeId from, NodeId to, long lastIncludedIndex, long lastIncludedTerm,
                                     ClusterConfig config, long totalBytes, long offset, byte[] data, boolean done)
        implements RaftMessage {
    public InstallSnapshotRequest {
        Checks.header(term, from, to);
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(data, "data");
        if (lastIncludedIndex < 1 || lastIncludedTerm < 1 || lastIncludedTerm > term) {
            throw new IllegalArgumentException("bad snapshot position " + lastIncludedIndex + "@" + lastIncludedTerm);
        }
        if (offset < 0 || totalBytes < 1 || offset > totalBytes - data.length) { // no overflow for huge offsets
            throw new IllegalArgumentException("chunk [" + offset + ", " + (offset + data.length) + ") outside a "
                    + totalBytes + "-byte snapshot");
        }
        if (done != (offset + data.length == totalBytes)) {
            throw new IllegalArgumentException("done must be set exactly on the chunk that ends the snapshot");
        }
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }

    @Override
    public String toString() {
        return "InstallSnapshotRequest[term=" + term + ", " + from + "->" + to + ", snapshot=" + lastIncludedIndex + "@"
                + lastIncludedTerm + ", bytes [" + offset + ", " + (offset + data.length) + ") of " + totalBytes
                + (done ? ", done" : "") + "]";
    }
}
