package io.raftkv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code raftkv} launcher: one command with a subcommand per job (R-OPS-1). */
@Command(name = "raftkv", mixinStandardHelpOptions = true, version = "raftkv 0.1.0",
        description = "A Raft consensus library for the JVM and a replicated key-value store built on it.",
        subcommands = {DemoCommand.class, ServerCommand.class, ClusterCommand.class, KeyValueCommands.Get.class,
                KeyValueCommands.Set.class, KeyValueCommands.Del.class, SimCommand.class, BenchCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the launcher and returns the exit status (0 ok, 1 failure, 2 bad usage). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
