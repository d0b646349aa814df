package io.raftkv.node;

import io.raftkv.core.NodeId;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to run one raftkv node. Every limit has a reason, given on its field.
 *
 * @param id                     this node's id; one of {@code peers} unless {@code joining}
 * @param dataDirectory          where the write-ahead log and snapshots live
 * @param raftAddress            address to listen on for peers
 * @param peers                  the voters this node starts with and the address it reaches each at,
 *                               itself included unless joining. They are the bootstrap configuration,
 *                               in force until the log or a snapshot holds one (thesis §4.1)
 * @param joining                this node joins a running cluster whose voters are {@code peers}: it
 *                               is not one of them, so it never campaigns until a configuration it
 *                               receives from the leader makes it a voter
 * @param addressOverrides       addresses this node uses for some members instead of the ones the
 *                               replicated configuration carries (a proxy, NAT, another interface);
 *                               {@code peers} override them as well
 * @param tickInterval           length of one core tick; with the core defaults (15 ticks, randomized
 *                               to 15-30) 10 ms gives the 150-300 ms election timeout of R-ELECT-2
 * @param electionTicks          base election timeout in ticks
 * @param heartbeatTicks         ticks between heartbeats
 * @param proposalTimeout        how long a proposal may wait to be applied before its outcome is unknown
 * @param maxPendingProposals    proposals waiting to be applied on this node; bounds memory under
 *                               overload (R-OPS-5)
 * @param maxPendingBytes        bytes of those proposals
 * @param maxInboxEvents         events queued for the Raft loop; beyond it proposals are refused as
 *                               Busy and peer messages dropped (Raft tolerates loss)
 * @param snapshotEveryEntries   take a snapshot after this many applied entries since the last one
 * @param snapshotRetainEntries  entries kept in the log behind a snapshot, so a slightly lagging
 *                               follower catches up from the log rather than a snapshot
 * @param leaseReads             allow lease reads (R-READ-2); off by default, the safe choice
 */
public record NodeConfig(NodeId id, Path dataDirectory, InetSocketAddress raftAddress,
                         Map<NodeId, InetSocketAddress> peers, boolean joining,
                         Map<NodeId, InetSocketAddress> addressOverrides, Duration tickInterval, int electionTicks,
                         int heartbeatTicks, Duration proposalTimeout, int maxPendingProposals, long maxPendingBytes,
                         int maxInboxEvents, long snapshotEveryEntries, long snapshotRetainEntries,
                         boolean leaseReads) {

    public NodeConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(raftAddress, "raftAddress");
        peers = Map.copyOf(new TreeMap<>(peers));
        addressOverrides = Map.copyOf(new TreeMap<>(addressOverrides));
        if (joining) {
            if (peers.isEmpty() || peers.containsKey(id)) {
                throw new IllegalArgumentException("a joining node needs the cluster's voters, without itself ("
                        + id + "): " + peers.keySet());
            }
        } else if (!peers.containsKey(id)) {
            throw new IllegalArgumentException("--peers must list this node (" + id + ") too: " + peers.keySet());
        }
        if (tickInterval.isNegative() || tickInterval.isZero()) {
            throw new IllegalArgumentException("tick interval must be positive");
        }
        if (electionTicks <= heartbeatTicks || heartbeatTicks < 1) {
            throw new IllegalArgumentException("need 1 <= heartbeatTicks < electionTicks");
        }
        if (maxPendingProposals < 1 || maxPendingBytes < 1 || maxInboxEvents < 16) {
            throw new IllegalArgumentException("queue limits must be positive (inbox at least 16)");
        }
        if (snapshotEveryEntries < 1 || snapshotRetainEntries < 0) {
            throw new IllegalArgumentException("snapshotEveryEntries must be >= 1 and snapshotRetainEntries >= 0");
        }
    }

    /** Defaults for a server: 10 ms ticks, 150-300 ms elections, 5 s proposal timeout. */
    public static Builder builder(NodeId id, Path dataDirectory, InetSocketAddress raftAddress,
                                  Map<NodeId, InetSocketAddress> peers) {
        return new Builder(id, dataDirectory, raftAddress, peers);
    }

    /** Names what a caller changes and keeps the defaults for the rest. */
    public static final class Builder {
        private final NodeId id;
        private final Path dataDirectory;
        private final InetSocketAddress raftAddress;
        private final Map<NodeId, InetSocketAddress> peers;
        private boolean joining;
        private Map<NodeId, InetSocketAddress> addressOverrides = Map.of();
        private Duration tickInterval = Duration.ofMillis(10);
        private int electionTicks = 15;
        private int heartbeatTicks = 3;
        private Duration proposalTimeout = Duration.ofSeconds(5);
        private int maxPendingProposals = 20_000;
        private long maxPendingBytes = 64L << 20;
        private int maxInboxEvents = 65_536;
        private long snapshotEveryEntries = 100_000;
        private long snapshotRetainEntries = 5_000;
        private boolean leaseReads;

        private Builder(NodeId id, Path dataDirectory, InetSocketAddress raftAddress,
                        Map<NodeId, InetSocketAddress> peers) {
            this.id = id;
            this.dataDirectory = dataDirectory;
            this.raftAddress = raftAddress;
            this.peers = peers;
        }

        /** This node joins a running cluster; {@code peers} are its voters, this node not among them. */
        public Builder joining(boolean value) {
            joining = value;
            return this;
        }

        public Builder addressOverrides(Map<NodeId, InetSocketAddress> value) {
            addressOverrides = value;
            return this;
        }

        public Builder tickInterval(Duration value) {
            tickInterval = value;
            return this;
        }

        public Builder electionTicks(int value) {
            electionTicks = value;
            return this;
        }

        public Builder heartbeatTicks(int value) {
            heartbeatTicks = value;
            return this;
        }

        public Builder proposalTimeout(Duration value) {
            proposalTimeout = value;
            return this;
        }

        public Builder maxPendingProposals(int value) {
            maxPendingProposals = value;
            return this;
        }

        public Builder maxPendingBytes(long value) {
            maxPendingBytes = value;
            return this;
        }

        public Builder maxInboxEvents(int value) {
            maxInboxEvents = value;
            return this;
        }

        public Builder snapshotEveryEntries(long value) {
            snapshotEveryEntries = value;
            return this;
        }

        public Builder snapshotRetainEntries(long value) {
            snapshotRetainEntries = value;
            return this;
        }

        public Builder leaseReads(boolean value) {
            leaseReads = value;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(id, dataDirectory, raftAddress, peers, joining, addressOverrides, tickInterval, electionTicks, heartbeatTicks,
                    proposalTimeout, maxPendingProposals, maxPendingBytes, maxInboxEvents, snapshotEveryEntries,
                    snapshotRetainEntries, leaseReads);
        }
    }
}
