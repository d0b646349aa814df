package io.raftkv.core.harness;

import io.raftkv.core.NodeId;
import io.raftkv.core.message.RaftMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The simulated network of a {@link TestCluster}: messages in flight, cut links (partitions),
 * drop rules, and optional random faults (drop, duplicate, delay and reorder) from a seeded random.
 * It also records every message sent, so tests can count traffic.
 */
public final class Network {
    private record Link(NodeId from, NodeId to) {}

    private final List<RaftMessage> inFlight = new ArrayList<>();
    private final Set<Link> cutLinks = new HashSet<>();
    private final List<Predicate<RaftMessage>> dropRules = new ArrayList<>();
    private final List<RaftMessage> sentLog = new ArrayList<>();
    private final SplittableRandom random;
    private double dropRate;
    private double duplicateRate;
    private double delayRate;

    Network(long seed) {
        this.random = new SplittableRandom(seed);
    }

    void send(RaftMessage message) {
        sentLog.add(message);
        inFlight.add(message);
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    List<RaftMessage> inFlight() {
        return List.copyOf(inFlight);
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /** The oldest message in flight (FIFO delivery), or null. */
    RaftMessage pollFirst() {
        return inFlight.isEmpty() ? null : inFlight.remove(0);
    }

    /** Removes and returns the oldest message matching {@code filter}, or null. */
    RaftMessage pollFirst(Predicate<RaftMessage> filter) {
        for (int i = 0; i < inFlight.size(); i++) {
            if (filter.test(inFlight.get(i))) {
                return inFlight.remove(i);
            }
        }
        return null;
    }

    /** Takes every message now in flight, in random order. */
    List<RaftMessage> takeAllShuffled() {
        List<RaftMessage> out = new ArrayList<>(inFlight);
        inFlight.clear();
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            RaftMessage t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    /** Puts a message back in flight (a delay, or a duplicate copy). */
    void requeue(RaftMessage message) {
        inFlight.add(message);
    }

    /** Removes every message in flight to {@code node}, e.g. because it crashed. */
    void discardTo(NodeId node) {
        inFlight.removeIf(m -> m.to().equals(node));
    }

    /** False if a partition or a drop rule loses this message. */
    boolean passes(RaftMessage m) {
        if (cutLinks.contains(new Link(m.from(), m.to()))) {
            return false;
        }
        for (Predicate<RaftMessage> rule : dropRules) {
            if (rule.test(m)) {
                return false;
            }
        }
        return true;
    }

    void cut(NodeId from, NodeId to) {
        cutLinks.add(new Link(from, to));
    }

    void healLinks() {
        cutLinks.clear();
    }

    void addDropRule(Predicate<RaftMessage> rule) {
        dropRules.add(rule);
    }

    void clearDropRules() {
        dropRules.clear();
    }

    void setFaults(double dropRate, double duplicateRate, double delayRate) {
        if (dropRate + delayRate >= 1 || duplicateRate >= 1) {
            throw new IllegalArgumentException("fault rates must leave room for delivery");
        }
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.delayRate = delayRate;
    }

    boolean faultsActive() {
        return dropRate > 0 || duplicateRate > 0 || delayRate > 0;
    }

    double dropRate() {
        return dropRate;
    }

    double duplicateRate() {
        return duplicateRate;
    }

    double delayRate() {
        return delayRate;
    }

    SplittableRandom random() {
        return random;
    }

    // ---------------------------------------------------------------------------------------------
    // Traffic counters
    // ---------------------------------------------------------------------------------------------

    /** Every message sent since the last {@link #resetCounters()}, in sending order. */
    public List<RaftMessage> sentLog() {
        return List.copyOf(sentLog);
    }

    public long countSent(Predicate<RaftMessage> filter) {
        return sentLog.stream().filter(filter).count();
    }

    public void resetCounters() {
        sentLog.clear();
    }
}
