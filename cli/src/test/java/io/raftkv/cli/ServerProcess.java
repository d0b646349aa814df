package io.raftkv.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * One raftkv node as a real child JVM ({@code io.raftkv.cli.Main server ...}), started with the
 * test's own class path. Its stdout and stderr go to {@code <dataDir>/../<id>.log} (appended across
 * restarts). {@link #kill()} is kill -9 ({@code destroyForcibly}); {@link #restart()} starts a new
 * process on the same ports and data directory; {@link #pause()}/{@link #resume()} send
 * SIGSTOP/SIGCONT.
 */
final class ServerProcess {
    static final String HOST = "127.0.0.1";

    /** Every child process this JVM started, killed by a shutdown hook if a test run is aborted. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-raftkv-children"));
    }

    final String id;
    final int clientPort;
    final int raftPort;
    final Path dataDir;
    final Path logFile;
    /** How it finds its cluster: {@code --peers ...} or {@code --join ...}, and any further options. */
    private final List<String> clusterArgs;
    private Process process;
    private boolean paused;
    private int starts;

    ServerProcess(String id, int clientPort, int raftPort, Path dataDir, Path logFile, String peers) {
        this(id, clientPort, raftPort, dataDir, logFile, List.of("--peers", peers));
    }

    ServerProcess(String id, int clientPort, int raftPort, Path dataDir, Path logFile, List<String> clusterArgs) {
        this.id = id;
        this.clientPort = clientPort;
        this.raftPort = raftPort;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.clusterArgs = List.copyOf(clusterArgs);
    }

    /** The JVM options of every child: the demo's heap, and a loud exit rather than a zombie on OOM. */
    static List<String> jvmOptions() {
        return List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
    }

    private static String classpathCopy;

    /**
     * A private copy of the test JVM's class path, made once per test run. Child JVMs load classes
     * lazily for as long as they run; if they read the jars in the local Maven repository or the
     * modules' target directories, a concurrent {@code mvn install} (other builds on the same
     * machine) rewrites them under a running server, which then dies of NoClassDefFoundError.
     */
    static synchronized String classpath() {
        if (classpathCopy != null) {
            return classpathCopy;
        }
        String classpath = System.getProperty("java.class.path");
        if (classpath == null || !classpath.contains("picocli")) {
            throw new IllegalStateException("the test JVM's java.class.path does not hold the launcher's "
                    + "dependencies (surefire should set it): " + classpath);
        }
        try {
            Path root = Files.createTempDirectory("raftkv-test-classpath");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(root), "delete-classpath-copy"));
            List<String> copies = new ArrayList<>();
            int n = 0;
            for (String entry : classpath.split(java.io.File.pathSeparator)) {
                Path source = Path.of(entry);
                if (entry.isEmpty() || !Files.exists(source) || entry.contains("surefire")) {
                    continue;
                }
                Path target = root.resolve((n++) + "-" + source.getFileName());
                if (Files.isDirectory(source)) {
                    try (java.util.stream.Stream<Path> files = Files.walk(source)) {
                        for (Path file : (Iterable<Path>) files::iterator) {
                            Path copy = target.resolve(source.relativize(file).toString());
                            if (Files.isDirectory(file)) {
                                Files.createDirectories(copy);
                            } else {
                                Files.copy(file, copy);
                            }
                        }
                    }
                } else {
                    Files.copy(source, target);
                }
                copies.add(target.toString());
            }
            classpathCopy = String.join(java.io.File.pathSeparator, copies);
            return classpathCopy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the class path for the server processes", e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    /** {@code java <jvm options> -cp <class path copy> io.raftkv.cli.Main args...}. */
    static List<String> javaCommand(List<String> args) {
        String classpath = classpath();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.add("-cp");
        command.add(classpath);
        command.add(Main.class.getName());
        command.addAll(args);
        return command;
    }

    /** Registers a process so the shutdown hook kills it if the test JVM exits early. */
    static Process track(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        return process;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(id + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(dataDir);
            Files.writeString(logFile, "==== start #" + (++starts) + " of " + id + " ====\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            List<String> args = new ArrayList<>(List.of("server", "--id", id, "--data-dir", dataDir.toString(),
                    "--raft-addr", HOST + ":" + raftPort, "--client-addr", HOST + ":" + clientPort));
            args.addAll(clusterArgs);
            List<String> command = javaCommand(args);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            process = track(builder.start());
            paused = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id, e);
        }
    }

    /** kill -9, and waits (bounded) until the process is gone. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        if (paused) {
            resumeQuietly();
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

    synchronized void restart() {
        kill();
        start();
    }

    /** SIGSTOP: the process keeps its sockets open but does nothing (a paused VM, a long GC). */
    synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    synchronized void resume() {
        signal("CONT");
        paused = false;
    }

    private void resumeQuietly() {
        try {
            signal("CONT");
        } catch (RuntimeException ignored) {
            // best effort before kill -9
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Started, alive and not paused: expected to answer. */
    synchronized boolean isRunning() {
        return isAlive() && !paused;
    }

    synchronized boolean isPaused() {
        return paused;
    }

    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(id + " was never started");
        }
        return process.pid();
    }

    synchronized Process process() {
        return process;
    }

    String clientAddress() {
        return HOST + ":" + clientPort;
    }

    /** A new Jedis connection; Jedis connects (and sends CLIENT SETINFO) in its constructor. */
    Jedis client(Duration timeout) {
        int millis = (int) timeout.toMillis();
        return new Jedis(new HostAndPort(HOST, clientPort), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.min(millis, 5_000)).socketTimeoutMillis(millis).build());
    }

    /** INFO raft as a map; throws if the node does not answer within {@code timeout}. */
    Map<String, String> info(Duration timeout) {
        try (Jedis jedis = client(timeout)) {
            return parseInfo(jedis.info("raft"));
        }
    }

    /** INFO raft, or an empty map if the node does not answer. */
    Map<String, String> tryInfo(Duration timeout) {
        try {
            return info(timeout);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    static Map<String, String> parseInfo(String text) {
        Map<String, String> info = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                info.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return info;
    }

    /** Waits until the node answers PING. */
    void awaitReady(Duration timeout) {
        Await.until(id + " answers PING at " + clientAddress(), timeout, () -> {
            if (!isAlive()) {
                throw new AssertionError(id + " exited with status " + process().exitValue() + " while starting; log:\n"
                        + logTail(40));
            }
            try (Jedis jedis = client(Duration.ofSeconds(2))) {
                return "PONG".equals(jedis.ping());
            } catch (RuntimeException e) {
                return false;
            }
        }, () -> logTail(20));
    }

    /** The last {@code lines} lines of this node's log, for failure messages. */
    String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log at " + logFile + ")";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
            StringBuilder text = new StringBuilder("---- " + logFile + " (last " + lines + " lines) ----\n");
            for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
                text.append(line).append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Lines of this node's log containing {@code needle}. */
    List<String> logLinesContaining(String needle) {
        try {
            List<String> hits = new ArrayList<>();
            if (Files.exists(logFile)) {
                for (String line : Files.readAllLines(logFile, StandardCharsets.ISO_8859_1)) {
                    if (line.contains(needle)) {
                        hits.add(line);
                    }
                }
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return id + "(client " + clientPort + ", raft " + raftPort + (process == null ? "" : ", pid " + process.pid())
                + (isAlive() ? (paused ? ", paused" : "") : ", dead") + ")";
    }
}
