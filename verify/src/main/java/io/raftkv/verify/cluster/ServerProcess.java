package io.raftkv.verify.cluster;

import io.raftkv.verify.client.RespClient;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One {@code raftkv server} as a child process with its own data directory. Its output goes to
 * {@code logFile}, appended across restarts. {@link #kill()} is kill -9; {@link #pause()} and
 * {@link #resume()} are SIGSTOP and SIGCONT. A restart reuses the ports and the data directory,
 * as an operator restarting a crashed server would. How it finds the cluster ({@code --peers} for
 * a node of the initial cluster, {@code --join} for one added later) can change between starts:
 * a node the membership nemesis wiped joins again as a new server.
 */
public final class ServerProcess {
    /** Every child started by this JVM, killed by a shutdown hook if the verifier itself is killed. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-raftkv-servers"));
    }

    private final String id;
    private final String host;
    private final int clientPort;
    private final int raftPort;
    private final Path dataDir;
    private final Path logFile;
    private final List<String> baseArgs;
    private List<String> clusterArgs;
    private final ServerLauncher launcher;
    private Process process;
    private boolean paused;
    private boolean stoppedOnPurpose = true;
    private int starts;

    /**
     * @param id         the node id
     * @param host       the address both ports listen on
     * @param clientPort the Redis-protocol port
     * @param raftPort   the port peers (through their proxies) connect to
     * @param dataDir    the node's data directory
     * @param logFile    where its output goes
     * @param peers      the {@code --peers} value: this node's own address and, for every other
     *                   node, the address this node must use to reach it
     * @param launcher   how to start the JVM
     */
    public ServerProcess(String id, String host, int clientPort, int raftPort, Path dataDir, Path logFile, String peers,
                         ServerLauncher launcher) {
        this(id, host, clientPort, raftPort, dataDir, logFile, List.of("--peers", peers), launcher);
    }

    /**
     * @param clusterArgs how it finds the cluster: {@code --peers ...}, or {@code --join ...} with
     *                    {@code --peer-address} overrides
     */
    public ServerProcess(String id, String host, int clientPort, int raftPort, Path dataDir, Path logFile,
                         List<String> clusterArgs, ServerLauncher launcher) {
        this.id = id;
        this.host = host;
        this.clientPort = clientPort;
        this.raftPort = raftPort;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.launcher = launcher;
        this.baseArgs = List.of("--id", id, "--data-dir", dataDir.toString(), "--raft-addr", host + ":" + raftPort,
                "--client-addr", host + ":" + clientPort);
        this.clusterArgs = List.copyOf(clusterArgs);
    }

    /** How the next start finds the cluster, e.g. {@code --join ...}; restarts keep it. */
    public synchronized void useClusterArgs(List<String> args) {
        clusterArgs = List.copyOf(args);
    }

    /**
     * Deletes the data directory, as an operator replacing a failed disk would.
     *
     * @throws IllegalStateException if the process is running
     */
    public synchronized void wipeData() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(id + " is running; stop it before wiping its data");
        }
        if (!Files.exists(dataDir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    public String id() {
        return id;
    }

    public String clientAddress() {
        return host + ":" + clientPort;
    }

    public int raftPort() {
        return raftPort;
    }

    public Path logFile() {
        return logFile;
    }

    /** Starts the process; a no-op if it is already running. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        Files.createDirectories(dataDir);
        Files.writeString(logFile, "==== start #" + (++starts) + " of " + id + " ====\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<String> args = new ArrayList<>(baseArgs);
        args.addAll(clusterArgs);
        ProcessBuilder builder = new ProcessBuilder(launcher.command(args))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process started = builder.start();
        LIVE.add(started);
        started.onExit().thenRun(() -> LIVE.remove(started));
        process = started;
        paused = false;
        stoppedOnPurpose = false;
    }

    /** kill -9, waiting (bounded) until the process is gone. */
    public synchronized void kill() {
        if (process == null || !process.isAlive()) {
            stoppedOnPurpose = true;
            return;
        }
        stoppedOnPurpose = true;
        if (paused) {
            // A stopped process dies of SIGKILL too, but resuming first keeps its state simple.
            signalQuietly("CONT");
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException(id + " (pid " + process.pid() + ") survived kill -9 for 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        paused = false;
    }

    /**
     * SIGTERM, the clean shutdown, waiting up to {@code timeoutMillis}; kill -9 if it has not exited
     * by then.
     */
    public synchronized void stop(long timeoutMillis) {
        if (process == null || !process.isAlive()) {
            stoppedOnPurpose = true;
            return;
        }
        stoppedOnPurpose = true;
        if (paused) {
            signalQuietly("CONT");
            paused = false;
        }
        process.destroy();
        try {
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process keeps its sockets open and does nothing, like a long GC pause or a frozen VM. */
    public synchronized void pause() {
        if (isAlive() && !paused) {
            signal("STOP");
            paused = true;
        }
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        if (isAlive() && paused) {
            signal("CONT");
        }
        paused = false;
    }

    private void signalQuietly(String name) {
        try {
            signal(name);
        } catch (RuntimeException ignored) {
            // best effort: the caller is about to kill the process anyway
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + id, e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit status if the process has exited (on purpose or not), otherwise -1. */
    public synchronized int exitStatus() {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /**
     * If the process exited although nobody killed it, its exit status; otherwise -1. A server that
     * dies on its own during a run is a product bug (a crash or a fail-stop), not a fault.
     */
    public synchronized int unexpectedExitStatus() {
        if (process == null || process.isAlive() || stoppedOnPurpose) {
            return -1;
        }
        return process.exitValue();
    }

    /** INFO raft as a map, or an empty map if the node does not answer in time. */
    public Map<String, String> raftInfo(int timeoutMillis) {
        if (!isAlive() || isPaused()) {
            return Map.of();
        }
        try (RespClient client = new RespClient(clientAddress(), timeoutMillis)) {
            Object reply = client.call("INFO", "raft");
            return reply instanceof String text ? parseInfo(text) : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    static Map<String, String> parseInfo(String text) {
        Map<String, String> info = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                info.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return info;
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log at " + logFile + ")";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
            List<String> tail = new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
            return String.join("\n", tail);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public synchronized String toString() {
        return id + "(client " + clientPort + ", raft " + raftPort + (process == null ? "" : ", pid " + process.pid())
                + (isAlive() ? (paused ? ", paused" : "") : ", down") + ")";
    }
}
