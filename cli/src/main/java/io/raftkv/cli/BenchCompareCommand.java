package io.raftkv.cli;

import io.raftkv.loadgen.ComparisonTable;
import io.raftkv.loadgen.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftkv bench compare}: the side-by-side table of two systems from the JSON reports of
 * {@code bench kv} and the etcd driver (as {@code bench/compare-etcd.sh} leaves them in one
 * directory), as Markdown ready for docs/benchmarks.md.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Print a Markdown table lining up the load generator's JSON reports of two systems.")
final class BenchCompareCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "Directory with the JSON reports (every *.json written by the load generator).")
    private Path dir;

    @Option(names = "--first", paramLabel = "SYSTEM", defaultValue = "raftkv",
            description = "System whose throughput is the ratio's numerator (default ${DEFAULT-VALUE}).")
    private String first;

    @Option(names = "--second", paramLabel = "SYSTEM", defaultValue = "etcd",
            description = "The other system (default ${DEFAULT-VALUE}).")
    private String second;

    @Override
    public Integer call() throws IOException {
        List<Object> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Object json;
                try {
                    json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    System.err.println("skipping " + file + ": " + e.getMessage());
                    continue;
                }
                if ("raftkv-loadgen".equals(Json.path(json, "tool"))) {
                    reports.add(json);
                }
            }
        }
        if (reports.isEmpty()) {
            System.err.println("no load generator reports in " + dir);
            return 1;
        }
        System.out.print(ComparisonTable.render(reports, first, second));
        return 0;
    }
}
