package io.raftkv.cli;

import io.raftkv.sim.CoreFactory;
import io.raftkv.sim.SimConfig;
import io.raftkv.sim.SimResult;
import io.raftkv.sim.SimRunner;
import io.raftkv.sim.Simulation;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code raftkv sim}: deterministic simulation of a cluster under faults, many seeds, with the
 * five safety properties checked after every event and liveness and linearizability at the end.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Simulate a cluster in one thread from a seed: a lossy, partitioned network, crashes that lose"
                + " unsynced writes, and clients; check the Raft safety properties after every event, then liveness"
                + " and linearizability after healing.",
                "Replay a failure exactly with --seed S."})
public final class SimCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--seeds", paramLabel = "N", description = "Number of seeds to run (default ${DEFAULT-VALUE}).",
            defaultValue = "100")
    private int seeds;

    @Option(names = "--seed", paramLabel = "S", description = "Run only this seed and report it in detail.")
    private Long seed;

    @Option(names = "--first-seed", paramLabel = "S", defaultValue = "1",
            description = "First seed of a multi-seed run (default ${DEFAULT-VALUE}).")
    private long firstSeed;

    @Option(names = "--nodes", paramLabel = "3|5|7", defaultValue = "5",
            description = "Cluster size (default ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--events", paramLabel = "E", defaultValue = "20000",
            description = "Events per seed while faults are injected (default ${DEFAULT-VALUE}); then faults heal.")
    private int events;

    @Option(names = "--clients", paramLabel = "C", defaultValue = "4",
            description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    private int clients;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of cores).")
    private Integer threads;

    @Option(names = "--max-failures", paramLabel = "F", defaultValue = "5",
            description = "Stop after this many failing seeds (default ${DEFAULT-VALUE}).")
    private int maxFailures;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        PrintStream out = System.out;
        SimConfig template = new SimConfig(1, nodes, events, clients, 3, true, 6_000, 300);
        if (seed != null) {
            return replay(template.withSeed(seed), out);
        }
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        out.printf("raftkv sim: %d seeds from %d, %d nodes, %d events per seed, %d clients, %d threads%n", seeds,
                firstSeed, nodes, events, clients, workers);
        SimRunner.Summary summary = new SimRunner(template, CoreFactory.STANDARD, workers)
                .run(firstSeed, seeds, maxFailures, out);
        out.printf("covered: %d faults, %d snapshots taken, %d installed from a leader, %d torn writes,"
                        + " %d lease reads%n", summary.faults(), summary.snapshotsTaken(), summary.snapshotsInstalled(),
                summary.tornWrites(), summary.leaseReads());
        out.printf("membership: %s%n", summary.membership());
        out.printf("seeds=%d events=%d violations=%d elapsed=%.1fs events/s=%.0f%n", summary.seeds(), summary.events(),
                summary.failures(), summary.wallNanos() / 1e9, summary.eventsPerSecond());
        return summary.failures() == 0 ? 0 : 1;
    }

    private int replay(SimConfig config, PrintStream out) {
        SimResult result = new Simulation(config).run();
        out.printf("seed %d: %d nodes, %d events, %d simulated ms, %d faults, %d terms with a leader, commit index %d,"
                        + " %d client ops (%d completed), %d snapshots taken, %d installed, %d torn writes,"
                        + " leader %s after healing, %.2fs%n",
                result.seed(), config.nodes(), result.events(), result.simulatedMillis(), result.faults(),
                result.terms(), result.committed(), result.operations(), result.completedOperations(),
                result.snapshotsTaken(), result.snapshotsInstalled(), result.tornWrites(),
                result.leaderAfterHealMillis() < 0 ? "never" : result.leaderAfterHealMillis() + " ms",
                result.wallNanos() / 1e9);
        if (result.ok()) {
            out.println("violations=0");
            return 0;
        }
        out.printf("VIOLATION %s%nlast events before the failure (simulated ms):%n%s", result.violation(),
                result.trace());
        out.println("violations=1");
        return 1;
    }

    private void validate() {
        if (nodes != 3 && nodes != 5 && nodes != 7) {
            throw new ParameterException(spec.commandLine(), "--nodes must be 3, 5 or 7, not " + nodes);
        }
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be at least 1");
        }
        if (events < 100) {
            throw new ParameterException(spec.commandLine(), "--events must be at least 100");
        }
        if (clients < 1 || clients > 64) {
            throw new ParameterException(spec.commandLine(), "--clients must be 1..64");
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
    }
}
