package io.raftkv.cli;

import io.raftkv.loadgen.LoadResult;
import io.raftkv.loadgen.ReadMode;
import io.raftkv.loadgen.resp.RespDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code raftkv bench failover}: kill -9 the leader of a local cluster under write load, and time
 * until a client's write is acknowledged again (issue 7: median and p99 over at least 20 trials).
 * After each trial the killed node restarts from its data directory and catches up before the next.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Starts a local cluster of server processes, puts it under closed-loop write load, and per"
                + " trial kills the leader with SIGKILL: time from the kill until the first acknowledged write"
                + " (fresh connections to the survivors every 20 ms) and until a new leader shows in INFO raft.",
                "The killed node restarts and catches up before the next trial."})
final class BenchFailoverCommand implements Callable<Integer> {
    @Mixin
    private BenchScenarioOptions scenario;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "8",
            description = "Closed-loop writers keeping the cluster busy (default ${DEFAULT-VALUE}).")
    private int clients;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100",
            description = "Value size of the load (default ${DEFAULT-VALUE}).")
    private int valueSize;

    @Option(names = "--settle", paramLabel = "TIME", defaultValue = "2s",
            description = "Load before each kill (default ${DEFAULT-VALUE}).")
    private String settle;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "1g",
            description = "Each server's Java heap (default ${DEFAULT-VALUE}).")
    private String heap;

    @Override
    public Integer call() throws Exception {
        scenario.validate();
        Duration settleTime = Durations.parse(settle, "--settle");
        Path root = scenario.root("failover");
        BenchTrials firstWrite = new BenchTrials("first acknowledged write after kill -9 of the leader");
        BenchTrials election = new BenchTrials("new leader visible in INFO raft after the kill");
        LoadResult load;
        try (BenchCluster cluster = BenchCluster.create(root, scenario.nodes, heap);
             RespDriver probes = new RespDriver("raftkv", ReadMode.LINEARIZABLE, Duration.ofSeconds(15), 1)) {
            cluster.startAll();
            cluster.awaitLeader(Duration.ofSeconds(60));
            System.out.printf("raftkv bench failover: %d nodes under %s, %d writers of %d B, %d trials%n",
                    scenario.nodes, root, clients, valueSize, scenario.trials);
            try (BenchBackgroundLoad background = new BenchBackgroundLoad(cluster, clients, valueSize)) {
                for (int trial = 1; trial <= scenario.trials; trial++) {
                    Thread.sleep(settleTime.toMillis());
                    runTrial(cluster, probes, trial, firstWrite, election);
                }
                load = background.stop();
            }
        } finally {
            scenario.cleanUp(root);
        }
        System.out.println(firstWrite.summary());
        System.out.println(election.summary());
        System.out.printf(Locale.ROOT, "background load: %,d writes acknowledged, errors by kind %s%n", load.totalOps(),
                load.errors());
        scenario.writeJson("{\"scenario\": \"failover\", \"nodes\": " + scenario.nodes + ", \"clients\": " + clients
                + ", \"firstWriteAfterKill\": " + firstWrite.json() + ",\n \"leaderElectedAfterKill\": "
                + election.json() + ",\n \"backgroundWrites\": " + load.totalOps() + ", \"backgroundErrors\": "
                + load.errors().entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                        .collect(java.util.stream.Collectors.joining(", ", "{", "}")) + "}\n");
        return 0;
    }

    private static void runTrial(BenchCluster cluster, RespDriver probes, int trial, BenchTrials firstWrite,
                                 BenchTrials election) throws Exception {
        BenchCluster.Node leader = cluster.awaitLeader(Duration.ofSeconds(60));
        long oldTerm = cluster.infoLong(leader, "raft_term");
        List<BenchCluster.Node> survivors = cluster.others(leader);
        double firstMillis;
        double electedMillis;
        try (BenchFailoverProbe probe = new BenchFailoverProbe(probes, cluster, survivors, oldTerm)) {
            long killedAt = System.nanoTime();
            cluster.kill(leader);
            probe.start(killedAt);
            firstMillis = probe.awaitFirstWrite(Duration.ofSeconds(60));
            Thread.sleep(100); // let the election poll see the new leader if the write beat it
            electedMillis = probe.electedMillis();
        }
        firstWrite.add(firstMillis);
        if (!Double.isNaN(electedMillis)) {
            election.add(electedMillis);
        }
        System.out.printf(Locale.ROOT, "trial %2d: killed leader %s (term %d): new leader after %,.0f ms, first"
                + " acknowledged write after %,.0f ms%n", trial, leader.id(), oldTerm, electedMillis, firstMillis);
        cluster.start(leader);
        BenchCluster.Node newLeader = cluster.awaitLeader(Duration.ofSeconds(60));
        cluster.awaitApplied(leader, cluster.infoLong(newLeader, "raft_commit_index"), Duration.ofSeconds(120));
    }
}
