package io.raftkv.cli;

import io.raftkv.loadgen.LoadConfig;
import io.raftkv.loadgen.LoadEngine;
import io.raftkv.loadgen.LoadResult;
import io.raftkv.loadgen.ReadMode;
import io.raftkv.loadgen.resp.RespDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code raftkv bench restart}: restart time of a node after a long history (issue 7: a 1-million-entry
 * log). Writes {@code --entries} commands, then per trial kills a follower with SIGKILL and restarts
 * it: time until it answers {@code INFO} again (the log and snapshot recovered, the node serving)
 * and until its applied index is back at the commit index. The servers snapshot only after
 * {@code --snapshot-every-entries} applied entries (by default more than {@code --entries}), so a
 * restart replays the whole log of {@code --entries} commands; the trial line prints the recovered
 * node's snapshot and last index, so the figure says what was recovered.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = {"Writes --entries commands to a local cluster, then per trial kills a follower (SIGKILL) and"
                + " restarts it: time until it answers again and until its applied index reaches the commit index."})
final class BenchRestartCommand implements Callable<Integer> {
    @Mixin
    private BenchScenarioOptions scenario;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "1000000",
            description = "Commands written before the trials (default ${DEFAULT-VALUE}).")
    private long entries;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100",
            description = "Value size of the commands (default ${DEFAULT-VALUE}).")
    private int valueSize;

    @Option(names = "--snapshot-every-entries", paramLabel = "N",
            description = "The servers' snapshot interval (default: --entries + 100000, so the whole log is replayed).")
    private Long snapshotEveryEntries;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "2g",
            description = "Each server's Java heap (default ${DEFAULT-VALUE}).")
    private String heap;

    @Override
    public Integer call() throws Exception {
        scenario.validate();
        Path root = scenario.root("restart");
        BenchTrials answering = new BenchTrials("restarted node answers INFO");
        BenchTrials applied = new BenchTrials("restarted node applied up to the commit index");
        long interval = snapshotEveryEntries != null ? snapshotEveryEntries : entries + 100_000;
        try (BenchCluster cluster = BenchCluster.create(root, scenario.nodes, heap,
                List.of("--snapshot-every-entries", Long.toString(interval)));
             RespDriver driver = new RespDriver("raftkv", ReadMode.LINEARIZABLE, Duration.ofSeconds(30), 2)) {
            cluster.startAll();
            cluster.awaitLeader(Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "raftkv bench restart: %d nodes under %s; writing %,d commands of %d B%n",
                    scenario.nodes, root, entries, valueSize);
            LoadConfig config = LoadConfig.builder(cluster.endpoints()).clients(64).pipeline(4).keys(100_000)
                    .valueBytes(valueSize).keyPrefix("restart-").warmup(Duration.ZERO).totalOps(entries)
                    .timeout(Duration.ofSeconds(30)).build();
            LoadResult fill = new LoadEngine(config, driver, System.out).run();
            System.out.printf(Locale.ROOT, "wrote %,d commands in %.1f s (%,d errors)%n", fill.totalOps(),
                    fill.elapsedSeconds(), fill.errorCount());
            for (int trial = 1; trial <= scenario.trials; trial++) {
                BenchCluster.Node leader = cluster.awaitLeader(Duration.ofSeconds(60));
                BenchCluster.Node node = cluster.others(leader).get(trial % (scenario.nodes - 1));
                long commit = cluster.infoLong(leader, "raft_commit_index");
                cluster.awaitApplied(node, commit, Duration.ofMinutes(5));
                cluster.kill(node);
                long started = System.nanoTime();
                cluster.start(node);
                Map<String, String> info = awaitAnswer(cluster, node);
                double answerMillis = (System.nanoTime() - started) / 1e6;
                cluster.awaitApplied(node, commit, Duration.ofMinutes(10));
                double appliedMillis = (System.nanoTime() - started) / 1e6;
                answering.add(answerMillis);
                applied.add(appliedMillis);
                System.out.printf(Locale.ROOT, "trial %2d: %s restarted: answers after %,.0f ms, applied %,d after"
                                + " %,.0f ms (snapshot index %s, last index %s, data %s)%n", trial, node.id(),
                        answerMillis, commit, appliedMillis, info.get("raft_snapshot_index"),
                        info.get("raft_last_index"),
                        BenchCommand.SizeConverter.format(BenchScenarioOptions.directoryBytes(node.dataDir())));
            }
        } finally {
            scenario.cleanUp(root);
        }
        System.out.println(answering.summary());
        System.out.println(applied.summary());
        scenario.writeJson(String.format(Locale.ROOT, "{\"scenario\": \"restart\", \"entries\": %d, \"valueBytes\": %d,"
                + " \"answers\": %s,%n \"applied\": %s}%n", entries, valueSize, answering.json(), applied.json()));
        return 0;
    }

    private static Map<String, String> awaitAnswer(BenchCluster cluster, BenchCluster.Node node)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            Map<String, String> info = cluster.info(node);
            if (!info.isEmpty()) {
                return info;
            }
            if (System.nanoTime() - deadline > 0 || !cluster.running(node)) {
                throw new IllegalStateException(node.id() + " did not answer after its restart; see " + node.logFile());
            }
            Thread.sleep(10);
        }
    }
}
