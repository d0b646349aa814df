package io.raftkv.core.harness;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Short factories for hand-made messages and log entries in unit tests. */
public final class Msgs {
    private Msgs() {}

    public static NodeId id(String value) {
        return NodeId.of(value);
    }

    /**
     * A NORMAL entry whose payload is derived from (index, term), so two hand-made logs that agree
     * on (index, term) hold equal entries, as Log Matching requires.
     */
    public static LogEntry entry(long index, long term) {
        return new LogEntry(index, term, EntryType.NORMAL, ("e" + index + "t" + term).getBytes(StandardCharsets.UTF_8));
    }

    /** Entries 1..n with the given terms. */
    public static List<LogEntry> log(long... terms) {
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(entry(i + 1, terms[i]));
        }
        return out;
    }

    /** Entries from {@code firstIndex} on with the given terms. */
    public static LogEntry[] entriesFrom(long firstIndex, long... terms) {
        LogEntry[] out = new LogEntry[terms.length];
        for (int i = 0; i < terms.length; i++) {
            out[i] = entry(firstIndex + i, terms[i]);
        }
        return out;
    }

    public static RequestVoteRequest voteRequest(String from, String to, long term, long lastLogIndex,
                                                 long lastLogTerm) {
        return new RequestVoteRequest(term, id(from), id(to), lastLogIndex, lastLogTerm, false);
    }

    /** A configuration entry (thesis §4.1): voters, then learners. */
    public static LogEntry configEntry(long index, long term, List<String> voters, List<String> learners) {
        ClusterConfig config = new ClusterConfig(voters.stream().map(NodeId::of).collect(java.util.stream.Collectors.toSet()),
                learners.stream().map(NodeId::of).collect(java.util.stream.Collectors.toSet()));
        return new LogEntry(index, term, EntryType.CONFIG, config.encode());
    }

    /** The vote request of an election started by a leadership transfer (thesis §3.10). */
    public static RequestVoteRequest transferVoteRequest(String from, String to, long term, long lastLogIndex,
                                                         long lastLogTerm) {
        return new RequestVoteRequest(term, id(from), id(to), lastLogIndex, lastLogTerm, false, true);
    }

    public static TimeoutNow timeoutNow(String from, String to, long term) {
        return new TimeoutNow(term, id(from), id(to));
    }

    public static RequestVoteRequest preVoteRequest(String from, String to, long term, long lastLogIndex,
                                                    long lastLogTerm) {
        return new RequestVoteRequest(term, id(from), id(to), lastLogIndex, lastLogTerm, true);
    }

    public static RequestVoteResponse voteGranted(String from, String to, long term) {
        return new RequestVoteResponse(term, id(from), id(to), true, false);
    }

    public static RequestVoteResponse voteRejected(String from, String to, long term) {
        return new RequestVoteResponse(term, id(from), id(to), false, false);
    }

    public static RequestVoteResponse preVoteGranted(String from, String to, long term) {
        return new RequestVoteResponse(term, id(from), id(to), true, true);
    }

    public static RequestVoteResponse preVoteRejected(String from, String to, long term) {
        return new RequestVoteResponse(term, id(from), id(to), false, true);
    }

    public static AppendEntriesRequest append(String from, String to, long term, long prevLogIndex, long prevLogTerm,
                                              long leaderCommit, LogEntry... entries) {
        return new AppendEntriesRequest(term, id(from), id(to), prevLogIndex, prevLogTerm, List.of(entries),
                leaderCommit);
    }

    public static AppendEntriesResponse appendAccepted(String from, String to, long term, long matchIndex) {
        return AppendEntriesResponse.accepted(term, id(from), id(to), matchIndex);
    }

    public static AppendEntriesResponse appendRejected(String from, String to, long term, long rejectedIndex,
                                                       long conflictTerm, long conflictIndex) {
        return AppendEntriesResponse.rejected(term, id(from), id(to), rejectedIndex, conflictTerm, conflictIndex);
    }

    public static HeartbeatRequest heartbeat(String from, String to, long term, long commitIndex, long readRound) {
        return new HeartbeatRequest(term, id(from), id(to), commitIndex, readRound);
    }

    public static HeartbeatResponse heartbeatResponse(String from, String to, long term, long readRound) {
        return new HeartbeatResponse(term, id(from), id(to), readRound);
    }

    public static ReadIndexRequest readIndexRequest(String from, String to, long term, long requestId) {
        return new ReadIndexRequest(term, id(from), id(to), requestId);
    }

    /**
     * The chunk {@code [offset, offset + length)} of the snapshot file {@code file} (clipped to its
     * end), with {@code done} set exactly when it reaches the end.
     */
    public static InstallSnapshotRequest snapshotChunk(String from, String to, long term, SnapshotMetadata meta,
                                                       byte[] file, int offset, int length) {
        int end = Math.min(file.length, offset + length);
        return new InstallSnapshotRequest(term, id(from), id(to), meta.lastIncludedIndex(), meta.lastIncludedTerm(),
                meta.config(), file.length, offset, Arrays.copyOfRange(file, offset, end), end == file.length);
    }

    public static InstallSnapshotResponse snapshotResponse(String from, String to, long term, long lastIncludedIndex,
                                                           long nextOffset, boolean installed) {
        return new InstallSnapshotResponse(term, id(from), id(to), lastIncludedIndex, nextOffset, installed);
    }
}
