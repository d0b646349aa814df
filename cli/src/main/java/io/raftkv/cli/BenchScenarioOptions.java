package io.raftkv.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** Options shared by the cluster scenarios (failover, catch-up, restart). */
final class BenchScenarioOptions {
    @Option(names = "--trials", paramLabel = "N", defaultValue = "20",
            description = "Repetitions (default ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Cluster size (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the servers keep their data and logs (default: a new temporary directory, deleted"
                    + " afterwards unless --keep).")
    Path dir;

    @Option(names = "--keep", description = "Keep the data directories and server logs.")
    boolean keep;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path json;

    /** The cluster's root directory: --dir, or a new temporary one. */
    Path root(String name) throws IOException {
        return dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("raftkv-bench-" + name);
    }

    void validate() {
        if (trials < 1 || nodes < 3 || nodes > 9) {
            throw new IllegalArgumentException("--trials must be >= 1 and --nodes in [3, 9]");
        }
    }

    void writeJson(String text) throws IOException {
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(json, text, StandardCharsets.UTF_8);
        }
    }

    /** Deletes the root unless --keep or --dir was given (a user's directory is never deleted). */
    void cleanUp(Path root) throws IOException {
        if (keep || dir != null || !Files.exists(root)) {
            if (Files.exists(root)) {
                System.out.println("data and server logs kept in " + root);
            }
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static long directoryBytes(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            long total = 0;
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                total += Files.size(path);
            }
            return total;
        }
    }
}
