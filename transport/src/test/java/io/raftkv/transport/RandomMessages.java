package io.raftkv.transport;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.ReadIndexResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Random valid messages of every kind, from a seed, for property and fuzz tests. */
final class RandomMessages {
    /** Number of message kinds {@link #next} draws from: ten Raft kinds and AppMessage. */
    static final int KINDS = 12;
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

    private final SplittableRandom random;
    private final int maxPayloadBytes;

    RandomMessages(long seed, int maxPayloadBytes) {
        this.random = new SplittableRandom(seed);
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** A random message of a random kind between random nodes. */
    PeerMessage next() {
        return next(randomId(), randomId());
    }

    /** A random message of a random kind from {@code from} to {@code to}. */
    PeerMessage next(NodeId from, NodeId to) {
        return ofKind(random.nextInt(KINDS), from, to);
    }

    /** A random message of kind {@code kind} (0..{@link #KINDS}-1). */
    PeerMessage ofKind(int kind, NodeId from, NodeId to) {
        long term = value();
        return switch (kind) {
            case 0 -> raft(voteRequest(term, from, to));
            case 1 -> raft(new RequestVoteResponse(term, from, to, random.nextBoolean(), random.nextBoolean()));
            case 2 -> raft(appendEntries(term, from, to));
            case 3 -> raft(new AppendEntriesResponse(term, from, to, random.nextBoolean(), value(), value(), value(),
                    value()));
            case 4 -> raft(new HeartbeatRequest(term, from, to, value(), value()));
            case 5 -> raft(new HeartbeatResponse(term, from, to, value()));
            case 6 -> raft(new ReadIndexRequest(term, from, to, random.nextLong()));
            case 7 -> raft(new ReadIndexResponse(term, from, to, random.nextLong(), value()));
            case 8 -> raft(installSnapshot(from, to));
            case 9 -> raft(new InstallSnapshotResponse(term, from, to, value(), value(), random.nextBoolean()));
            case 10 -> new AppMessage(from, to, random.nextInt(), bytes());
            case 11 -> raft(new TimeoutNow(term, from, to));
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    /** A vote request: an ordinary vote, a pre-vote, or a leadership transfer's vote (never both flags). */
    private RequestVoteRequest voteRequest(long term, NodeId from, NodeId to) {
        boolean preVote = random.nextBoolean();
        return new RequestVoteRequest(term, from, to, value(), value(), preVote, !preVote && random.nextBoolean());
    }

    NodeId randomId() {
        int length = random.nextInt(10) == 0 ? NodeId.MAX_LENGTH : 1 + random.nextInt(8);
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return NodeId.of(id.toString());
    }

    ClusterConfig config() {
        Set<NodeId> voters = new HashSet<>();
        Set<NodeId> learners = new HashSet<>();
        int voterCount = 1 + random.nextInt(5);
        while (voters.size() < voterCount) {
            voters.add(randomId());
        }
        int learnerCount = random.nextInt(3);
        while (learners.size() < learnerCount) {
            NodeId id = randomId();
            if (!voters.contains(id)) {
                learners.add(id);
            }
        }
        return new ClusterConfig(voters, learners);
    }

    private static RaftEnvelope raft(RaftMessage message) {
        return new RaftEnvelope(message);
    }

    /** A non-negative long, often small and sometimes at the extremes, where encodings break. */
    private long value() {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(4);
            case 1 -> Long.MAX_VALUE - random.nextInt(4);
            default -> random.nextLong(Long.MAX_VALUE);
        };
    }

    private byte[] bytes() {
        byte[] bytes = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(maxPayloadBytes + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private AppendEntriesRequest appendEntries(long term, NodeId from, NodeId to) {
        long messageTerm = Math.max(1, term);
        long prevLogIndex = random.nextLong(1L << 40);
        int count = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(8);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EntryType type = EntryType.values()[random.nextInt(EntryType.values().length)];
            byte[] data = switch (type) {
                case NORMAL -> bytes();
                case NO_OP -> new byte[0];
                case CONFIG -> config().encode();
            };
            entries.add(new LogEntry(prevLogIndex + 1 + i, 1 + random.nextLong(messageTerm), type, data));
        }
        return new AppendEntriesRequest(messageTerm, from, to, prevLogIndex, value(), entries, value());
    }

    private InstallSnapshotRequest installSnapshot(NodeId from, NodeId to) {
        long term = 1 + random.nextLong(Long.MAX_VALUE - 1);
        byte[] data = bytes();
        long totalBytes = data.length + random.nextInt(1000) + (data.length == 0 ? 1 : 0);
        long slack = totalBytes - data.length;
        boolean done = slack == 0 || random.nextBoolean();
        long offset = done ? slack : random.nextLong(slack);
        return new InstallSnapshotRequest(term, from, to, 1 + random.nextLong(1L << 40), 1 + random.nextLong(term),
                config(), totalBytes, offset, data, done);
    }
}
