package io.raftkv.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftkv demo}: a local 3-node cluster as three separate server processes with their data
 * on disk (reused by the next run), printing each node's client address; Ctrl-C stops them all.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local 3-node cluster (separate processes, data on disk) and print its endpoints.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "data/demo", description = "Where the nodes keep their data (default ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--base-port", defaultValue = "7001",
            description = "Client ports are BASE, BASE+1, BASE+2; Raft ports BASE+100.. (default ${DEFAULT-VALUE}).")
    private int basePort;

    @Option(names = "--nodes", defaultValue = "3", description = "Cluster size (default ${DEFAULT-VALUE}).")
    private int nodes;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 9) {
            System.err.println("--nodes must be 1..9");
            return 2;
        }
        StringBuilder peers = new StringBuilder();
        for (int i = 1; i <= nodes; i++) {
            peers.append(i > 1 ? "," : "").append("n").append(i).append("=127.0.0.1:").append(basePort + 100 + i - 1);
        }
        Files.createDirectories(dataDir);
        List<Process> processes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(processes), "demo-shutdown"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        for (int i = 1; i <= nodes; i++) {
            String id = "n" + i;
            Path nodeDir = dataDir.resolve(id);
            Files.createDirectories(nodeDir);
            List<String> command = List.of(java, "-Xmx512m", "-cp", classpath, Main.class.getName(), "server",
                    "--id", id, "--data-dir", nodeDir.toString(), "--raft-addr", "127.0.0.1:" + (basePort + 100 + i - 1),
                    "--client-addr", "127.0.0.1:" + (basePort + i - 1), "--peers", peers.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(nodeDir.toFile(), "server.log")));
            processes.add(builder.start());
        }
        System.out.printf("raftkv demo: %d nodes, data in %s (kept for the next run)%n", nodes, dataDir.toAbsolutePath());
        for (int i = 1; i <= nodes; i++) {
            System.out.printf("  n%d  client 127.0.0.1:%d   raft 127.0.0.1:%d   log %s%n", i, basePort + i - 1,
                    basePort + 100 + i - 1, dataDir.resolve("n" + i).resolve("server.log"));
        }
        System.out.printf("connect:  redis-cli -p %d      (any node; followers forward writes to the leader)%n", basePort);
        StringBuilder endpoints = new StringBuilder();
        for (int i = 1; i <= nodes; i++) {
            endpoints.append(i > 1 ? "," : "").append("127.0.0.1:").append(basePort + i - 1);
        }
        System.out.printf("status:   ./raftkv cluster status --endpoints %s%n", endpoints);
        System.out.println("Ctrl-C stops the cluster.");
        System.out.flush();
        for (Process process : processes) {
            int code = process.waitFor();
            if (code != 0) {
                System.err.printf("a node exited with status %d; see its server.log%n", code);
            }
        }
        return 0;
    }

    private static void stopAll(List<Process> processes) {
        for (Process p : processes) {
            p.destroy(); // SIGTERM: each server shuts down cleanly
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
