package io.raftkv.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The load generator's command-line options as a picocli mixin, shared by {@code raftkv bench kv}
 * and the etcd driver's main so both take the same flags and print the same reports.
 */
public final class LoadOptions {
    @Option(names = "--endpoints", paramLabel = "HOST:PORT,...",
            description = "Client addresses; connections are spread over them round-robin.")
    String endpoints;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "16",
            description = "Closed-loop clients: each starts its next operation when one of its own completes"
                    + " (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "0",
            description = "Connections shared by the clients (client i uses connection i mod N); fewer than clients"
                    + " pipelines several clients' requests on one connection. 0: one per client (default).")
    int connections;

    @Option(names = "--pipeline", paramLabel = "DEPTH", defaultValue = "1",
            description = "Operations each client keeps in flight (default ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured time after the warm-up (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--total", paramLabel = "OPS", defaultValue = "0",
            description = "Run this many measured operations instead of --duration (default: by duration).")
    long total;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "2s", converter = DurationConverter.class,
            description = "Unmeasured time first: operations started in it do not count (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100",
            description = "Size of each written value (default ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "10000",
            description = "Key space, drawn uniformly; preloaded before a run that reads (default ${DEFAULT-VALUE}).")
    long keys;

    @Option(names = "--read-ratio", paramLabel = "0..1", defaultValue = "0",
            description = "Fraction of operations that are reads (default ${DEFAULT-VALUE}: writes only).")
    double readRatio;

    @Option(names = "--read-mode", paramLabel = "MODE", defaultValue = "linearizable",
            description = "linearizable, lease or stale (etcd: serializable = stale) (default ${DEFAULT-VALUE}).")
    String readMode;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "15s", converter = DurationConverter.class,
            description = "An operation without a reply for this long counts as a timeout error"
                    + " (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--key-prefix", paramLabel = "TEXT", defaultValue = "bench-",
            description = "Prefix of every key (default ${DEFAULT-VALUE}).")
    String keyPrefix;

    @Option(names = "--await-ready", paramLabel = "TIME", defaultValue = "30s", converter = DurationConverter.class,
            description = "First retry a write on each endpoint for up to this long, until the store accepts it"
                    + " (a cluster electing its leader); 0s skips (default ${DEFAULT-VALUE}).")
    Duration awaitReady;

    @Option(names = "--no-preload", negatable = false,
            description = "Do not write the key space before a run that reads (reads then miss).")
    boolean noPreload;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the results as JSON to FILE; '-' writes JSON to stdout instead of the table.")
    String json;

    @Option(names = "--quiet", description = "No progress line every second.")
    boolean quiet;

    /** The run's configuration; {@code defaultEndpoints} applies when --endpoints is not given. */
    public LoadConfig toConfig(String defaultEndpoints) {
        return LoadConfig.builder(Endpoint.parseList(endpoints == null ? defaultEndpoints : endpoints))
                .clients(clients).connections(connections).pipeline(pipeline).duration(duration).totalOps(total)
                .warmup(warmup).valueBytes(valueSize).keys(keys).readRatio(readRatio)
                .readMode(ReadMode.parse(readMode)).preload(!noPreload).timeout(timeout).keyPrefix(keyPrefix)
                .awaitReady(awaitReady).build();
    }

    /** Where progress and notes go: stderr when stdout carries the JSON, else stdout; null with --quiet. */
    public PrintStream progressStream() {
        if (quiet) {
            return null;
        }
        return "-".equals(json) ? System.err : System.out;
    }

    /** Runs the load with {@code driver} and prints (and writes) the results; returns the exit status. */
    public int runAndReport(LoadConfig config, StoreDriver driver) throws Exception {
        PrintStream progress = progressStream();
        if (progress != null) {
            progress.printf("%s bench: %s, %d clients, %d connections, pipeline %d, %d B values, %,d keys, read ratio"
                            + " %s, read mode %s, %s%n", driver.system(), config.endpoints(), config.clients(),
                    config.connections(), config.pipeline(), config.valueBytes(), config.keys(), config.readRatio(),
                    driver.readModeLabel(config.readMode()), config.byTotal() ? config.totalOps() + " ops"
                            : config.duration().toMillis() / 1000.0 + " s after " + config.warmup().toMillis()
                            / 1000.0 + " s warm-up");
        }
        LoadResult result = new LoadEngine(config, driver, progress).run();
        String text = ResultJson.write(result);
        if ("-".equals(json)) {
            System.out.print(text);
        } else {
            TextReport.print(result, System.out);
            if (json != null) {
                writeFile(Path.of(json), text);
            }
        }
        return result.totalOps() > 0 ? 0 : 1;
    }

    private static void writeFile(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
