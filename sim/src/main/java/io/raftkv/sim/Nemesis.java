package io.raftkv.sim;

import io.raftkv.core.NodeId;
import io.raftkv.core.RaftRole;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The fault injector: at random moments it crashes nodes (the leader among them) and restarts
 * them from their disks, cuts the network into shapes (one node isolated, the leader isolated,
 * majority/minority, a bridge node that sees both sides, one-way loss; cuts may overlap), and makes
 * the network lossy, duplicating and slow. Each fault heals after a while; {@link #healAll()} lifts
 * them all.
 */
final class Nemesis {
    private final List<SimNode> nodes;
    private final SimNetwork network;
    private final EventQueue events;
    private final SplittableRandom random;
    private final TraceBuffer trace;
    private boolean active = true;
    private boolean stormy;
    private int faultsInjected;
    /** Leaders still to be crashed right after their election (an armed fault). */
    private int leaderCrashesArmed;

    Nemesis(List<SimNode> nodes, SimNetwork network, EventQueue events, SplittableRandom random, TraceBuffer trace) {
        this.nodes = nodes;
        this.network = network;
        this.events = events;
        this.random = random;
        this.trace = trace;
    }

    void start() {
        events.after(100 + random.nextInt(400), new SimEvent.NemesisStep());
    }

    void step() {
        if (!active) {
            return;
        }
        switch (random.nextInt(11)) {
            case 10 -> armCrashMidInstall(randomNode());
            case 9 -> armLeaderCrashes();
            case 0 -> crash(randomNode());
            case 1 -> crash(leaderOrRandom());
            case 8 -> armPowerLoss(randomNode());
            case 2 -> partition(isolate(randomNode()), "isolate node");
            case 3 -> partition(isolate(leaderOrRandom()), "isolate leader");
            case 4 -> partition(splitMajorityMinority(), "majority/minority");
            case 5 -> bridge();
            case 6 -> oneWay();
            default -> storm();
        }
        events.after(50 + random.nextInt(500), new SimEvent.NemesisStep());
    }

    private void crash(SimNode node) {
        if (!node.isUp()) {
            return;
        }
        node.crash();
        faultsInjected++;
        note("crash " + node.id());
        events.after(20 + random.nextInt(random.nextBoolean() ? 100 : 1000), new SimEvent.Restart(node.id()));
    }

    /**
     * The next one to three leaders crash or are cut off right after winning their election or right
     * after their first commit, while their entries are only partly replicated: the churn of the
     * paper's Figure 8.
     */
    private void armLeaderCrashes() {
        if (leaderCrashesArmed == 0) {
            leaderCrashesArmed = 1 + random.nextInt(3);
            note("armed: the next " + leaderCrashesArmed + " new leaders crash or are cut off right after their election");
        }
    }

    /** Called when a node has just become leader. */
    void onNewLeader(SimNode node) {
        if (active && leaderCrashesArmed > 0 && random.nextBoolean()) {
            cutOff(node);
        }
    }

    /** Called when a leader has just advanced its commit index for the first time in its term. */
    void onLeaderFirstCommit(SimNode node) {
        if (active && leaderCrashesArmed > 0) {
            cutOff(node);
        }
    }

    /**
     * Crashes or isolates the leader, half the time at once (before its latest messages arrive
     * anywhere), else within 25 ms.
     */
    private void cutOff(SimNode node) {
        leaderCrashesArmed--;
        long delay = random.nextBoolean() ? 0 : random.nextInt(25);
        if (random.nextBoolean()) {
            events.after(delay, new SimEvent.Crash(node.id(), node.incarnation()));
        } else {
            events.after(delay, new SimEvent.Isolate(node.id()));
        }
    }

    /** Cuts a node off from all others (a targeted partition, on top of any other cuts). */
    void isolateNow(NodeId id) {
        for (SimNode node : nodes) {
            if (node.id().equals(id)) {
                partition(isolate(node), "isolate new leader");
            }
        }
    }

    /** Carries out a targeted crash if the node is still in the same incarnation. */
    void crashIfStill(NodeId id, int incarnation) {
        for (SimNode node : nodes) {
            if (node.id().equals(id) && node.isUp() && node.incarnation() == incarnation) {
                crash(node);
            }
        }
    }

    /** The node crashes in the middle of its next snapshot install, between the rename and the log reset. */
    private void armCrashMidInstall(SimNode node) {
        if (node.isUp()) {
            node.armCrashMidInstall();
            note("armed: " + node.id() + " crashes in the middle of its next snapshot install");
        }
    }

    /** The node loses power during its next fsync of a new term or vote, and comes back quickly. */
    private void armPowerLoss(SimNode node) {
        if (node.isUp()) {
            node.armCrashOnNextTermSync();
            note("armed power loss at the next term/vote fsync of " + node.id());
        }
    }

    void afterPowerLoss(NodeId id) {
        faultsInjected++;
        note("power loss during fsync: " + id);
        events.after(1 + random.nextInt(30), new SimEvent.Restart(id));
    }

    private Set<NodeId> isolate(SimNode node) {
        Set<NodeId> minority = new LinkedHashSet<>();
        minority.add(node.id());
        return minority;
    }

    private Set<NodeId> splitMajorityMinority() {
        List<SimNode> shuffled = shuffled();
        Set<NodeId> minority = new LinkedHashSet<>();
        int size = Math.max(1, (nodes.size() - 1) / 2);
        for (int i = 0; i < size; i++) {
            minority.add(shuffled.get(i).id());
        }
        return minority;
    }

    private void partition(Set<NodeId> side, String shape) {
        if (nodes.size() < 2) {
            return;
        }
        Set<NodeId> rest = new LinkedHashSet<>();
        for (SimNode node : nodes) {
            if (!side.contains(node.id())) {
                rest.add(node.id());
            }
        }
        network.separate(side, rest);
        scheduleLinkHeal(shape + " " + side + " | " + rest);
    }

    /** Two halves that cannot talk, and one node that talks to both (the case of thesis §9.6's example). */
    private void bridge() {
        if (nodes.size() < 3) {
            return;
        }
        List<SimNode> shuffled = shuffled();
        NodeId bridge = shuffled.get(0).id();
        Set<NodeId> left = new LinkedHashSet<>();
        Set<NodeId> right = new LinkedHashSet<>();
        for (int i = 1; i < shuffled.size(); i++) {
            (i % 2 == 1 ? left : right).add(shuffled.get(i).id());
        }
        network.separate(left, right);
        scheduleLinkHeal("bridge " + bridge + " between " + left + " | " + right);
    }

    /** Messages from one node to some others are lost, but not the other way. */
    private void oneWay() {
        if (nodes.size() < 2) {
            return;
        }
        SimNode from = random.nextBoolean() ? leaderOrRandom() : randomNode();
        Set<NodeId> to = new LinkedHashSet<>();
        for (SimNode node : nodes) {
            if (!node.id().equals(from.id()) && random.nextBoolean()) {
                network.cutOneWay(from.id(), node.id());
                to.add(node.id());
            }
        }
        if (to.isEmpty()) {
            return;
        }
        scheduleLinkHeal("one-way loss " + from.id() + " -> " + to);
    }

    private void scheduleLinkHeal(String description) {
        faultsInjected++;
        note("partition: " + description);
        events.after(200 + random.nextInt(3000), new SimEvent.Heal("links"));
    }

    private void storm() {
        if (stormy) {
            return;
        }
        stormy = true;
        faultsInjected++;
        double drop = 0.05 + random.nextDouble() * 0.25;
        double duplicate = random.nextDouble() * 0.2;
        int delay = 10 + random.nextInt(60);
        network.storm(drop, duplicate, delay);
        note("network storm: " + network.describe());
        events.after(300 + random.nextInt(3000), new SimEvent.Heal("network"));
    }

    void heal(String what) {
        if (what.equals("links")) {
            network.healLinks();
        } else {
            network.calm();
            stormy = false;
        }
        note("heal " + what);
    }

    void restart(NodeId id) {
        for (SimNode node : nodes) {
            if (node.id().equals(id) && !node.isUp()) {
                node.start();
                note("restart " + id);
            }
        }
    }

    /** Stops injecting, heals the network and restarts every crashed node. */
    void healAll() {
        active = false;
        network.healLinks();
        network.calm();
        stormy = false;
        for (SimNode node : nodes) {
            if (!node.isUp()) {
                node.start();
            }
        }
        note("heal everything, restart all crashed nodes");
    }

    int faultsInjected() {
        return faultsInjected;
    }

    private void note(String text) {
        trace.add(events.now(), "NEMESIS " + text);
    }

    private SimNode randomNode() {
        return nodes.get(random.nextInt(nodes.size()));
    }

    private SimNode leaderOrRandom() {
        SimNode leader = null;
        long term = -1;
        for (SimNode node : nodes) {
            if (node.isUp() && node.core().role() == RaftRole.LEADER && node.core().currentTerm() > term) {
                leader = node;
                term = node.core().currentTerm();
            }
        }
        return leader != null ? leader : randomNode();
    }

    private List<SimNode> shuffled() {
        List<SimNode> copy = new ArrayList<>(nodes);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            SimNode tmp = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, tmp);
        }
        return copy;
    }
}
