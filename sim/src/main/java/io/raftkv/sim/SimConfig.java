package io.raftkv.sim;

/**
 * Parameters of a simulation run. Everything random comes from {@code seed}, so the same
 * configuration replays the same run exactly.
 *
 * @param seed           the run's seed
 * @param nodes          cluster size (3, 5 or 7): the voters it starts with
 * @param events         events to simulate while faults are injected; then the faults heal
 * @param clients        concurrent clients of the key-value workload
 * @param keys           size of the key space (small, so operations contend)
 * @param faults         inject faults (crashes, partitions, lossy network); off for a calm run
 * @param settleMillis   simulated time after healing in which a leader must emerge and every node
 *                       must apply every acknowledged write
 * @param traceLength    how many of the last events a failure report shows
 * @param membership     in which seeds membership changes and leadership transfers run (with two
 *                       spare servers that start outside the configuration); see {@link Membership}
 */
public record SimConfig(long seed, int nodes, int events, int clients, int keys, boolean faults, long settleMillis,
                        int traceLength, Membership membership) {
    /** Which seeds change the cluster's membership while they run. */
    public enum Membership {
        /** None: the configuration stays the bootstrap one. */
        NEVER,
        /**
         * Half of the seeds, chosen by the seed itself (from a generator of its own, so the other seeds
         * replay exactly as they did before membership changes existed). The default.
         */
        SOME_SEEDS,
        /** Every seed. */
        EVERY_SEED
    }

    public SimConfig {
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("nodes must be 1..9: " + nodes);
        }
        if (events < 1 || clients < 0 || keys < 1 || settleMillis < 1 || traceLength < 0) {
            throw new IllegalArgumentException("events, keys and settle time must be positive");
        }
        java.util.Objects.requireNonNull(membership, "membership");
    }

    /** A run with membership changes in {@link Membership#SOME_SEEDS}. */
    public SimConfig(long seed, int nodes, int events, int clients, int keys, boolean faults, long settleMillis,
                     int traceLength) {
        this(seed, nodes, events, clients, keys, faults, settleMillis, traceLength, Membership.SOME_SEEDS);
    }

    public static SimConfig defaults(long seed, int nodes) {
        return new SimConfig(seed, nodes, 20_000, 4, 3, true, 6_000, 300);
    }

    public SimConfig withSeed(long newSeed) {
        return new SimConfig(newSeed, nodes, events, clients, keys, faults, settleMillis, traceLength, membership);
    }

    public SimConfig withEvents(int newEvents) {
        return new SimConfig(seed, nodes, newEvents, clients, keys, faults, settleMillis, traceLength, membership);
    }

    public SimConfig withMembership(Membership newMembership) {
        return new SimConfig(seed, nodes, events, clients, keys, faults, settleMillis, traceLength, newMembership);
    }
}
