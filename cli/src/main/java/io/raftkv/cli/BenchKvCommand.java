package io.raftkv.cli;

import io.raftkv.loadgen.LoadConfig;
import io.raftkv.loadgen.LoadOptions;
import io.raftkv.loadgen.ReadMode;
import io.raftkv.loadgen.resp.RespDriver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftkv bench kv}: closed-loop load against running raftkv servers over the Redis protocol
 * (the {@code loadgen} module's engine with its Redis-protocol driver), in the spirit of etcd's
 * benchmark tool and redis-benchmark.
 */
@Command(name = "kv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Closed-loop SET/GET load against raftkv servers: throughput, latency percentiles"
                + " (HdrHistogram) per operation, errors by code, a progress line every second.",
                "Read modes: linearizable (ReadIndex, the default), stale (READONLY on each connection: local"
                        + " reads), lease (a server start option, `raftkv server --read-mode lease`; this only"
                        + " labels the run).",
                "Example: raftkv bench kv --endpoints 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003 --clients 64"
                        + " --value-size 1024 --duration 30s --json out.json"})
final class BenchKvCommand implements Callable<Integer> {
    /** The endpoints of `raftkv demo` with its default base port. */
    static final String DEMO_ENDPOINTS = "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions load;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Netty event loops of the load generator; 0: one per core, at most one per connection.")
    private int ioThreads;

    @Override
    public Integer call() throws Exception {
        LoadConfig config;
        try {
            config = load.toConfig(DEMO_ENDPOINTS);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (config.readMode() == ReadMode.LEASE && config.readRatio() > 0 && load.progressStream() != null) {
            load.progressStream().println("note: lease reads are a server option; this run measures lease reads only"
                    + " if the servers run with --read-mode lease");
        }
        int threads = ioThreads > 0 ? ioThreads : RespDriver.defaultIoThreads(config.connections());
        try (RespDriver driver = new RespDriver("raftkv", config.readMode(), config.timeout(), threads)) {
            return load.runAndReport(config, driver);
        }
    }
}
