package io.raftkv.verify.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How to start a {@code raftkv server} process: {@code java <options> -cp <class path>
 * io.raftkv.cli.Main server ...}.
 *
 * <p>The verifier copies the class path into the run directory first ({@link #withClasspathCopiedTo}). A server loads classes lazily for as
 * long as it runs; if it read the launcher's jar in place, rebuilding the project during a long
 * verify run would rewrite that jar under running servers, which would then die of
 * NoClassDefFoundError and look like a product crash.
 *
 * @param javaCommand  the {@code java} executable
 * @param jvmOptions   options for every server JVM
 * @param classpath    the class path of the server JVMs
 * @param mainClass    the launcher's main class
 * @param extraArgs    arguments appended to every server's command line (the test-only fault switch)
 */
public record ServerLauncher(String javaCommand, List<String> jvmOptions, String classpath, String mainClass,
                             List<String> extraArgs) {

    /** The JVM options of every server: a modest heap, since up to five share the machine, and a loud exit on OOM. */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

    /** Copies the lists. */
    public ServerLauncher {
        Objects.requireNonNull(javaCommand, "javaCommand");
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(classpath, "classpath");
        Objects.requireNonNull(mainClass, "mainClass");
        extraArgs = List.copyOf(extraArgs);
    }

    /**
     * A launcher using this JVM's java executable and class path, which must hold the launcher's
     * main class and its dependencies.
     *
     * @param mainClass the launcher's main class ({@code io.raftkv.cli.Main})
     * @param extraArgs arguments appended to every server's command line
     * @throws IllegalStateException if this JVM has no class path to start servers with
     */
    public static ServerLauncher ofCurrentJvm(String mainClass, List<String> extraArgs) {
        String classpath = System.getProperty("java.class.path");
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException("this JVM has no java.class.path to start servers with");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ServerLauncher(java, DEFAULT_JVM_OPTIONS, classpath, mainClass, extraArgs);
    }

    /**
     * This launcher with its class path copied into {@code copyDir} (created), for the reason in
     * the class comment.
     *
     * @throws IOException if the class path cannot be copied
     */
    public ServerLauncher withClasspathCopiedTo(Path copyDir) throws IOException {
        Files.createDirectories(copyDir);
        List<String> copies = new ArrayList<>();
        int n = 0;
        for (String entry : classpath.split(File.pathSeparator)) {
            Path source = Path.of(entry);
            // Surefire's booter jars are not the product.
            if (entry.isEmpty() || !Files.exists(source) || entry.contains("surefire")) {
                continue;
            }
            Path target = copyDir.resolve((n++) + "-" + source.getFileName());
            copyTree(source, target);
            copies.add(target.toAbsolutePath().toString());
        }
        return new ServerLauncher(javaCommand, jvmOptions, String.join(File.pathSeparator, copies), mainClass, extraArgs);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target);
            return;
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }

    /** This launcher with other JVM options (e.g. a larger heap for benchmarks). */
    public ServerLauncher withJvmOptions(List<String> options) {
        return new ServerLauncher(javaCommand, options, classpath, mainClass, extraArgs);
    }

    /** The full command line for {@code raftkv server} with these arguments. */
    public List<String> command(List<String> serverArgs) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.add("server");
        command.addAll(serverArgs);
        command.addAll(extraArgs);
        return command;
    }
}
