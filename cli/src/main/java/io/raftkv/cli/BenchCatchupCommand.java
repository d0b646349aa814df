package io.raftkv.cli;

import io.raftkv.loadgen.LoadConfig;
import io.raftkv.loadgen.LoadEngine;
import io.raftkv.loadgen.LoadResult;
import io.raftkv.loadgen.Preloader;
import io.raftkv.loadgen.ReadMode;
import io.raftkv.loadgen.StoreConnection;
import io.raftkv.loadgen.resp.RespDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code raftkv bench catchup}: time for a wiped node to catch up from the leader's snapshot of a
 * large state (issue 7: 1 GiB). The state is written as distinct keys; then enough small writes
 * follow for the servers to take a snapshot that holds all of it (they snapshot every 100,000
 * applied entries by default, {@code NodeConfig.snapshotEveryEntries}) and compact their logs, so a
 * node with an empty disk can only catch up through InstallSnapshot.
 */
@Command(name = "catchup", mixinStandardHelpOptions = true,
        description = {"Fills a local cluster with --state bytes of data, waits until the leader has a snapshot"
                + " covering it, then per trial kills a follower, deletes its data directory and restarts it:"
                + " time until its applied index reaches the leader's commit index (InstallSnapshot + restore)."})
final class BenchCatchupCommand implements Callable<Integer> {
    @Mixin
    private BenchScenarioOptions scenario;

    @Option(names = "--state", paramLabel = "SIZE", defaultValue = "1g", converter = BenchCommand.SizeConverter.class,
            description = "Bytes of values to store (default ${DEFAULT-VALUE}).")
    private long stateBytes;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "16384",
            description = "Value size of the state; keys = state / value size (default ${DEFAULT-VALUE}).")
    private int valueSize;

    @Option(names = "--snapshot-entries", paramLabel = "N", defaultValue = "110000",
            description = "Small writes after the fill, to pass the servers' snapshot interval (default"
                    + " ${DEFAULT-VALUE}; the servers snapshot every 100,000 applied entries).")
    private long snapshotEntries;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "4g",
            description = "Each server's Java heap; the state lives in memory (default ${DEFAULT-VALUE}).")
    private String heap;

    @Override
    public Integer call() throws Exception {
        scenario.validate();
        long keys = Math.max(1, stateBytes / Math.max(1, valueSize));
        Path root = scenario.root("catchup");
        BenchTrials catchUp = new BenchTrials("wiped follower caught up");
        long snapshotIndex;
        long nodeBytes = 0;
        try (BenchCluster cluster = BenchCluster.create(root, scenario.nodes, heap);
             RespDriver driver = new RespDriver("raftkv", ReadMode.LINEARIZABLE, Duration.ofSeconds(60), 2)) {
            cluster.startAll();
            BenchCluster.Node leader = cluster.awaitLeader(Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "raftkv bench catchup: %d nodes under %s; writing %,d keys x %,d B = %s%n",
                    scenario.nodes, root, keys, valueSize, BenchCommand.SizeConverter.format(keys * valueSize));
            fill(cluster, driver, keys);
            long filledIndex = cluster.infoLong(leader, "raft_commit_index");
            pushPastSnapshotInterval(cluster, driver);
            snapshotIndex = awaitSnapshot(cluster, leader, filledIndex);
            for (int trial = 1; trial <= scenario.trials; trial++) {
                leader = cluster.awaitLeader(Duration.ofSeconds(60));
                BenchCluster.Node follower = cluster.others(leader).get(trial % (scenario.nodes - 1));
                cluster.kill(follower);
                cluster.wipe(follower);
                long commit = cluster.infoLong(leader, "raft_commit_index");
                long started = System.nanoTime();
                cluster.start(follower);
                cluster.awaitApplied(follower, commit, Duration.ofMinutes(30));
                double millis = (System.nanoTime() - started) / 1e6;
                catchUp.add(millis);
                nodeBytes = BenchScenarioOptions.directoryBytes(follower.dataDir());
                System.out.printf(Locale.ROOT, "trial %2d: %s wiped and restarted: applied index %,d after %,.0f ms"
                        + " (process start included); its data directory now %s%n", trial, follower.id(), commit,
                        millis, BenchCommand.SizeConverter.format(nodeBytes));
            }
        } finally {
            scenario.cleanUp(root);
        }
        System.out.println(catchUp.summary());
        scenario.writeJson(String.format(Locale.ROOT, "{\"scenario\": \"catchup\", \"stateBytes\": %d, \"keys\": %d,"
                        + " \"valueBytes\": %d, \"snapshotIndex\": %d, \"nodeDataBytes\": %d, \"catchUp\": %s}%n",
                keys * valueSize, keys, valueSize, snapshotIndex, nodeBytes, catchUp.json()));
        return 0;
    }

    private void fill(BenchCluster cluster, RespDriver driver, long keys) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        List<StoreConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                connections.add(driver.connect(cluster.endpoints().get(i % cluster.endpoints().size())));
            }
            long started = System.nanoTime();
            Preloader.writeKeys(connections, "state-", keys, new byte[valueSize], Duration.ofSeconds(60), timer);
            System.out.printf(Locale.ROOT, "filled in %.1f s%n", (System.nanoTime() - started) / 1e9);
        } finally {
            connections.forEach(StoreConnection::close);
            timer.shutdownNow();
        }
    }

    private void pushPastSnapshotInterval(BenchCluster cluster, RespDriver driver) throws Exception {
        LoadConfig config = LoadConfig.builder(cluster.endpoints()).clients(32).pipeline(4).keys(1).valueBytes(8)
                .keyPrefix("snapshot-filler-").warmup(Duration.ZERO).totalOps(snapshotEntries)
                .timeout(Duration.ofSeconds(60)).build();
        LoadResult result = new LoadEngine(config, driver, null).run();
        System.out.printf(Locale.ROOT, "%,d small writes in %.1f s to pass the snapshot interval (%,d errors)%n",
                result.totalOps(), result.elapsedSeconds(), result.errorCount());
    }

    /** Waits until the leader's snapshot covers the whole state. */
    private static long awaitSnapshot(BenchCluster cluster, BenchCluster.Node leader, long filledIndex)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            long snapshot = cluster.infoLong(leader, "raft_snapshot_index");
            if (snapshot >= filledIndex) {
                System.out.printf(Locale.ROOT, "leader %s has a snapshot at index %,d (state complete at %,d)%n",
                        leader.id(), snapshot, filledIndex);
                return snapshot;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the leader took no snapshot covering index " + filledIndex
                        + " within 10 minutes: " + cluster.describe());
            }
            Thread.sleep(200);
        }
    }
}
