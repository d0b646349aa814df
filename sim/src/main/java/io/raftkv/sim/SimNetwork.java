package io.raftkv.sim;

import io.raftkv.core.NodeId;
import io.raftkv.core.message.RaftMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A simulated network between the nodes: each message is delivered after a random delay (so
 * messages reorder), or dropped, or duplicated, and directed links can be cut to build any
 * partition shape (symmetric, one-way, bridge). A message is lost if its link is cut either when
 * it is sent or when it would arrive.
 */
final class SimNetwork {
    private final SplittableRandom random;
    private final EventQueue events;
    /** Cut directed links, as "from>to". */
    private final Set<String> cut = new HashSet<>();
    private double dropRate;
    private double duplicateRate;
    private int maxDelayMillis;
    private long sent;
    private long dropped;

    SimNetwork(SplittableRandom random, EventQueue events) {
        this.random = random;
        this.events = events;
        calm();
    }

    /** A reliable network with a small delay spread. */
    void calm() {
        dropRate = 0;
        duplicateRate = 0;
        maxDelayMillis = 5;
    }

    /** An unreliable network: losses, duplicates and long delays that reorder messages. */
    void storm(double dropRate, double duplicateRate, int maxDelayMillis) {
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.maxDelayMillis = maxDelayMillis;
    }

    void send(RaftMessage message) {
        sent++;
        if (isCut(message.from(), message.to()) || random.nextDouble() < dropRate) {
            dropped++;
            return;
        }
        events.after(1 + random.nextInt(maxDelayMillis), new SimEvent.Deliver(message));
        if (random.nextDouble() < duplicateRate) {
            events.after(1 + random.nextInt(maxDelayMillis), new SimEvent.Deliver(message));
        }
    }

    void sendAll(List<RaftMessage> messages) {
        for (RaftMessage m : messages) {
            send(m);
        }
    }

    /** True if a message sent now from {@code from} would be lost on its link. */
    boolean isCut(NodeId from, NodeId to) {
        return !cut.isEmpty() && cut.contains(from.value() + ">" + to.value());
    }

    void cutOneWay(NodeId from, NodeId to) {
        cut.add(from.value() + ">" + to.value());
    }

    void cutBothWays(NodeId a, NodeId b) {
        cutOneWay(a, b);
        cutOneWay(b, a);
    }

    /** Cuts every link between the two groups, both ways. */
    void separate(Set<NodeId> left, Set<NodeId> right) {
        for (NodeId a : left) {
            for (NodeId b : right) {
                cutBothWays(a, b);
            }
        }
    }

    void healLinks() {
        cut.clear();
    }

    boolean hasCuts() {
        return !cut.isEmpty();
    }

    long sent() {
        return sent;
    }

    long dropped() {
        return dropped;
    }

    String describe() {
        return "drop=" + dropRate + " dup=" + duplicateRate + " maxDelay=" + maxDelayMillis + "ms cut=" + cut;
    }
}
