package io.raftkv.core;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One single-server membership change (thesis §4.1, R-MEMB-1), proposed on the leader with
 * {@link RaftCore#proposeConfigChange}. A new server joins in two steps: first as a learner that
 * receives the log but does not vote ({@link AddLearner}), then, once it has caught up, as a voter
 * ({@link PromoteLearner}, thesis §4.2.1, R-MEMB-2). Each step changes the voters by at most one,
 * so the majorities of the old and the new configuration always overlap.
 */
public sealed interface ConfigChange {
    /** The server the change is about. */
    NodeId node();

    /**
     * The configuration this change makes of {@code current}, or {@code current} itself if the
     * change is already in effect there. Does not check that the change is allowed.
     */
    ClusterConfig applyTo(ClusterConfig current);

    /**
     * Adds a server as a learner, with the address its peers reach it at (null: none; peers must
     * then know it from their own settings). Already in effect if it is a learner or a voter,
     * whatever its address.
     */
    record AddLearner(NodeId node, String address) implements ConfigChange {
        public AddLearner {
            Objects.requireNonNull(node, "node");
            if (address != null) {
                ClusterConfig.checkAddress(address);
            }
        }

        public AddLearner(NodeId node) {
            this(node, null);
        }

        @Override
        public ClusterConfig applyTo(ClusterConfig current) {
            if (current.isMember(node)) {
                return current;
            }
            Set<NodeId> learners = new TreeSet<>(current.learners());
            learners.add(node);
            Map<NodeId, String> addresses = new TreeMap<>(current.addresses());
            if (address != null) {
                addresses.put(node, address);
            }
            return new ClusterConfig(current.voters(), learners, addresses);
        }
    }

    /** Makes a caught-up learner a voter. Already in effect if it is a voter. */
    record PromoteLearner(NodeId node) implements ConfigChange {
        public PromoteLearner {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public ClusterConfig applyTo(ClusterConfig current) {
            if (!current.learners().contains(node)) {
                return current; // a voter already, or not a member (which the leader refuses)
            }
            Set<NodeId> voters = new TreeSet<>(current.voters());
            Set<NodeId> learners = new TreeSet<>(current.learners());
            learners.remove(node);
            voters.add(node);
            return new ClusterConfig(voters, learners, current.addresses());
        }
    }

    /** Removes a voter or a learner, the leader included (thesis §4.2.2). Already in effect if it is no member. */
    record RemoveServer(NodeId node) implements ConfigChange {
        public RemoveServer {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public ClusterConfig applyTo(ClusterConfig current) {
            if (!current.isMember(node) || current.voters().equals(Set.of(node))) {
                return current; // not a member; or the last voter, which the leader refuses to remove
            }
            Set<NodeId> voters = new TreeSet<>(current.voters());
            Set<NodeId> learners = new TreeSet<>(current.learners());
            voters.remove(node);
            learners.remove(node);
            Map<NodeId, String> addresses = new TreeMap<>(current.addresses());
            addresses.remove(node);
            return new ClusterConfig(voters, learners, addresses);
        }
    }
}
