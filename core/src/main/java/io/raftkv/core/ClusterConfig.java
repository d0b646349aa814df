package io.raftkv.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cluster configuration: who votes and who only learns (thesis ch. 4). It is a value inside the
 * core: quorums are computed from it and configuration entries carry it, so membership changes
 * are log entries effective as soon as they are appended (thesis §4.1).
 *
 * @param voters   servers that vote and count for quorums; never empty
 * @param learners servers that receive the log but neither vote nor count (thesis §4.2.1); disjoint from voters
 */
public record ClusterConfig(Set<NodeId> voters, Set<NodeId> learners) {
    /** Upper bound on members, which bounds what a decoded configuration entry may allocate. */
    public static final int MAX_MEMBERS = 1024;

    public ClusterConfig {
        voters = Collections.unmodifiableSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSet(new TreeSet<>(learners));
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a configuration needs at least one voter");
        }
        if (voters.size() + learners.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("too many members: " + (voters.size() + learners.size()));
        }
        for (NodeId learner : learners) {
            if (voters.contains(learner)) {
                throw new IllegalArgumentException(learner + " cannot be both voter and learner");
            }
        }
    }

    public static ClusterConfig ofVoters(Collection<NodeId> voters) {
        return new ClusterConfig(Set.copyOf(voters), Set.of());
    }

    public boolean isVoter(NodeId id) {
        return voters.contains(id);
    }

    public boolean isMember(NodeId id) {
        return voters.contains(id) || learners.contains(id);
    }

    /** All members, voters first, each group in id order. */
    public List<NodeId> members() {
        List<NodeId> all = new ArrayList<>(voters);
        all.addAll(learners);
        return all;
    }

    /** Votes needed to win an election or commit: a majority of the voters (paper §5.2). */
    public int quorumSize() {
        return voters.size() / 2 + 1;
    }

    /** True if the voters in {@code granted} form a majority; non-voters in the set are ignored. */
    public boolean hasQuorum(Collection<NodeId> granted) {
        int count = 0;
        for (NodeId id : new java.util.HashSet<>(granted)) { // each voter counts once, even if repeated
            if (voters.contains(id)) {
                count++;
            }
        }
        return count >= quorumSize();
    }

    /**
     * The highest index stored on a majority of voters, given each voter's match index
     * (paper §5.3: "a log entry is committed once the leader ... has replicated it on a majority").
     * Voters missing from the map count as 0.
     */
    public long quorumMatchIndex(Map<NodeId, Long> matchIndex) {
        return quorumMatchIndex(voter -> matchIndex.getOrDefault(voter, 0L));
    }

    /**
     * The same, with each voter's index given by a function: the form the leader uses on its hot
     * path, with no map or boxing per call.
     */
    public long quorumMatchIndex(java.util.function.ToLongFunction<NodeId> matchIndexOf) {
        long[] matches = new long[voters.size()];
        int i = 0;
        for (NodeId voter : voters) {
            matches[i++] = matchIndexOf.applyAsLong(voter);
        }
        java.util.Arrays.sort(matches);
        // Sorted ascending: the element at position n - quorum is held by at least `quorum` voters.
        return matches[matches.length - quorumSize()];
    }

    /** Encodes this configuration as the payload of a CONFIG entry. */
    public byte[] encode() {
        List<byte[]> names = new ArrayList<>();
        int size = 8;
        for (NodeId id : members()) {
            byte[] b = id.value().getBytes(StandardCharsets.UTF_8);
            names.add(b);
            size += 2 + b.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(voters.size()).putInt(learners.size());
        for (byte[] b : names) {
            buf.putShort((short) b.length).put(b);
        }
        return buf.array();
    }

    /** Decodes a CONFIG entry payload; throws {@link IllegalArgumentException} on malformed input. */
    public static ClusterConfig decode(byte[] data) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            int voterCount = buf.getInt();
            int learnerCount = buf.getInt();
            if (voterCount < 1 || learnerCount < 0 || voterCount + learnerCount > MAX_MEMBERS) {
                throw new IllegalArgumentException("bad member counts " + voterCount + "/" + learnerCount);
            }
            Set<NodeId> voters = new TreeSet<>();
            Set<NodeId> learners = new TreeSet<>();
            for (int i = 0; i < voterCount + learnerCount; i++) {
                int len = buf.getShort();
                if (len < 1 || len > NodeId.MAX_LENGTH) {
                    throw new IllegalArgumentException("bad node id length " + len);
                }
                byte[] b = new byte[len];
                buf.get(b);
                NodeId id = new NodeId(new String(b, StandardCharsets.UTF_8));
                (i < voterCount ? voters : learners).add(id);
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " trailing bytes");
            }
            return new ClusterConfig(voters, learners);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated configuration entry", e);
        }
    }

    @Override
    public String toString() {
        return "voters=" + voters + (learners.isEmpty() ? "" : " learners=" + learners);
    }
}
