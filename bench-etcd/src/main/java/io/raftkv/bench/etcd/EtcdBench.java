package io.raftkv.bench.etcd;

import io.raftkv.loadgen.LoadConfig;
import io.raftkv.loadgen.LoadOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar bench-etcd/target/raftkv-bench-etcd.jar}: the load generator of
 * {@code raftkv bench kv}, same options, same reports, driving etcd instead. Lives in its own
 * module and jar so that nothing of raftkv's servers or launcher depends on jetcd.
 */
@Command(name = "raftkv-bench-etcd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Closed-loop put/get load against etcd (v3 API, via jetcd) with the options and reports of"
                + " `raftkv bench kv`.",
                "Read modes: linearizable (etcd's default) and stale = serializable (local reads)."})
public final class EtcdBench implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions load;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Threads completing the clients' requests; 0: two per core.")
    private int threads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EtcdBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LoadConfig config;
        EtcdDriver driver;
        try {
            config = load.toConfig("127.0.0.1:2379");
            driver = new EtcdDriver(config.readMode(), config.timeout(),
                    threads > 0 ? threads : 2 * Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (driver) {
            return load.runAndReport(config, driver);
        }
    }
}
