package io.raftkv.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cluster configuration: who votes and who only learns (thesis ch. 4). It is a value inside the
 * core: quorums are computed from it and configuration entries carry it, so membership changes
 * are log entries effective as soon as they are appended (thesis §4.1).
 *
 * <p>Each member may carry the address its peers reach it at, given when it was added. The core
 * never reads it; it travels with the configuration (in CONFIG entries and snapshots) so that every
 * server, a newly added one included, learns where the other members are from the log itself, the
 * way it learns who they are (thesis §4.1).
 *
 * @param voters    servers that vote and count for quorums; never empty
 * @param learners  servers that receive the log but neither vote nor count (thesis §4.2.1); disjoint from voters
 * @param addresses the Raft address of members that have one ({@code host:port}); keys are members
 */
public record ClusterConfig(Set<NodeId> voters, Set<NodeId> learners, Map<NodeId, String> addresses) {
    /** Upper bound on members, which bounds what a decoded configuration entry may allocate. */
    public static final int MAX_MEMBERS = 1024;
    /** Longest member address, in UTF-8 bytes. */
    public static final int MAX_ADDRESS_BYTES = 255;
    /** Longest {@link #encode()} result: a marker, two counts, then per member an id and an address. */
    public static final int MAX_ENCODED_BYTES =
            12 + MAX_MEMBERS * (2 + NodeId.MAX_LENGTH + 2 + MAX_ADDRESS_BYTES);
    /**
     * First word of the encoding that carries addresses. The original encoding starts with the
     * voter count, which is at least 1, so a negative first word tells the two apart and entries
     * written before addresses existed still decode.
     */
    private static final int WITH_ADDRESSES = -2;

    public ClusterConfig {
        voters = Collections.unmodifiableSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSet(new TreeSet<>(learners));
        addresses = Collections.unmodifiableMap(new TreeMap<>(addresses));
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
        for (Map.Entry<NodeId, String> e : addresses.entrySet()) {
            if (!voters.contains(e.getKey()) && !learners.contains(e.getKey())) {
                throw new IllegalArgumentException("address given for " + e.getKey() + ", which is no member");
            }
            checkAddress(e.getValue());
        }
    }

    /** A configuration without addresses. */
    public ClusterConfig(Set<NodeId> voters, Set<NodeId> learners) {
        this(voters, learners, Map.of());
    }

    public static ClusterConfig ofVoters(Collection<NodeId> voters) {
        return new ClusterConfig(Set.copyOf(voters), Set.of());
    }

    /** Voters only, each with its address. */
    public static ClusterConfig ofVoters(Map<NodeId, String> votersWithAddresses) {
        return new ClusterConfig(votersWithAddresses.keySet(), Set.of(), votersWithAddresses);
    }

    /** Throws {@link IllegalArgumentException} unless {@code address} may be a member's address. */
    public static void checkAddress(String address) {
        int bytes = address.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_ADDRESS_BYTES) {
            throw new IllegalArgumentException("a member address must have 1.." + MAX_ADDRESS_BYTES
                    + " bytes: '" + address + "'");
        }
    }

    /** The address {@code id} was added with, or null. */
    public String addressOf(NodeId id) {
        return addresses.get(id);
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

    /**
     * Encodes this configuration as the payload of a CONFIG entry: {@code i32 voters, i32 learners},
     * then per member (voters first) {@code u16 length, id}; with addresses, the same preceded by
     * {@code i32 -2} and with {@code u16 length, address} (length 0: none) after each id.
     */
    public byte[] encode() {
        boolean withAddresses = !addresses.isEmpty();
        List<byte[]> fields = new ArrayList<>();
        int size = withAddresses ? 12 : 8;
        for (NodeId id : members()) {
            byte[] b = id.value().getBytes(StandardCharsets.UTF_8);
            fields.add(b);
            size += 2 + b.length;
            if (withAddresses) {
                String address = addresses.get(id);
                byte[] a = address == null ? new byte[0] : address.getBytes(StandardCharsets.UTF_8);
                fields.add(a);
                size += 2 + a.length;
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        if (withAddresses) {
            buf.putInt(WITH_ADDRESSES);
        }
        buf.putInt(voters.size()).putInt(learners.size());
        for (byte[] b : fields) {
            buf.putShort((short) b.length).put(b);
        }
        return buf.array();
    }

    /** Length of {@link #encode()}'s result, without encoding. */
    public int encodedSize() {
        int size = addresses.isEmpty() ? 8 : 12;
        for (NodeId id : members()) {
            size += 2 + id.value().getBytes(StandardCharsets.UTF_8).length;
            if (!addresses.isEmpty()) {
                String address = addresses.get(id);
                size += 2 + (address == null ? 0 : address.getBytes(StandardCharsets.UTF_8).length);
            }
        }
        return size;
    }

    /** Decodes a CONFIG entry payload; throws {@link IllegalArgumentException} on malformed input. */
    public static ClusterConfig decode(byte[] data) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            int first = buf.getInt();
            boolean withAddresses = first == WITH_ADDRESSES;
            int voterCount = withAddresses ? buf.getInt() : first;
            int learnerCount = buf.getInt();
            if (voterCount < 1 || learnerCount < 0 || voterCount + learnerCount > MAX_MEMBERS) {
                throw new IllegalArgumentException("bad member counts " + voterCount + "/" + learnerCount);
            }
            Set<NodeId> voters = new TreeSet<>();
            Set<NodeId> learners = new TreeSet<>();
            Map<NodeId, String> addresses = new TreeMap<>();
            for (int i = 0; i < voterCount + learnerCount; i++) {
                NodeId id = new NodeId(readString(buf, 1, NodeId.MAX_LENGTH, "node id"));
                if (!(i < voterCount ? voters : learners).add(id)) {
                    throw new IllegalArgumentException(id + " listed twice");
                }
                if (withAddresses) {
                    String address = readString(buf, 0, MAX_ADDRESS_BYTES, "address");
                    if (!address.isEmpty()) {
                        addresses.put(id, address);
                    }
                }
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " trailing bytes");
            }
            return new ClusterConfig(voters, learners, addresses);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated configuration entry", e);
        }
    }

    private static String readString(ByteBuffer buf, int min, int max, String what) {
        int len = Short.toUnsignedInt(buf.getShort());
        if (len < min || len > max) {
            throw new IllegalArgumentException("bad " + what + " length " + len);
        }
        byte[] b = new byte[len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "voters=" + voters + (learners.isEmpty() ? "" : " learners=" + learners)
                + (addresses.isEmpty() ? "" : " addresses=" + addresses);
    }
}
