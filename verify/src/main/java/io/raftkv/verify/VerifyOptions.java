package io.raftkv.verify;

import io.raftkv.verify.cluster.ServerLauncher;
import io.raftkv.verify.history.Workload;
import io.raftkv.verify.nemesis.Nemesis;
import io.raftkv.verify.nemesis.NemesisSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything a verify run needs.
 *
 * @param nodes      cluster size (3 or 5)
 * @param duration   how long the workload and the nemesis run, before healing and final reads
 * @param nemeses    the faults to choose from; empty for a fault-free run
 * @param workloads  the workloads, at least one
 * @param clients    concurrent closed-loop clients, spread over the nodes
 * @param opTimeout  how long a client waits for an answer before recording the outcome unknown
 * @param timing     how long faults and quiet periods last
 * @param runDir     where the data, logs, history and report go
 * @param seed       seeds the nemesis and the clients' choices (the processes' timing is not reproducible)
 * @param launcher   how to start a server
 * @param checkTimeout time budget for the linearizability search of the register history
 * @param spares     spare server identities the membership nemesis may add, after the {@code nodes} initial ones
 */
public record VerifyOptions(int nodes, Duration duration, List<Nemesis> nemeses, Set<Workload> workloads, int clients,
                            Duration opTimeout, NemesisSchedule.Timing timing, Path runDir, long seed,
                            ServerLauncher launcher, Duration checkTimeout, int spares) {
    /** The most spares: ids beyond these only slow the machine down. */
    public static final int MAX_SPARES = 4;

    /** With {@link #defaultSpares} spares. */
    public VerifyOptions(int nodes, Duration duration, List<Nemesis> nemeses, Set<Workload> workloads, int clients,
                         Duration opTimeout, NemesisSchedule.Timing timing, Path runDir, long seed,
                         ServerLauncher launcher, Duration checkTimeout) {
        this(nodes, duration, nemeses, workloads, clients, opTimeout, timing, runDir, seed, launcher, checkTimeout,
                defaultSpares(nemeses));
    }

    /** Two spares when the membership nemesis runs (a 3-node cluster can grow to 5), none otherwise. */
    public static int defaultSpares(List<Nemesis> nemeses) {
        return nemeses.stream().anyMatch(n -> n.name().equals("membership")) ? 2 : 0;
    }

    /** Checks the values. */
    public VerifyOptions {
        if (nodes != 3 && nodes != 5) {
            throw new IllegalArgumentException("--nodes must be 3 or 5, not " + nodes);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--time must be positive");
        }
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("at least one workload is needed");
        }
        if (clients < 1 || clients > 1000) {
            throw new IllegalArgumentException("--clients must be between 1 and 1000, not " + clients);
        }
        if (opTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("--op-timeout must be at least 100 ms");
        }
        if (spares < 0 || spares > MAX_SPARES) {
            throw new IllegalArgumentException("--spares must be between 0 and " + MAX_SPARES + ", not " + spares);
        }
        nemeses = List.copyOf(nemeses);
        workloads = Set.copyOf(workloads);
    }
}
