package io.raftkv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code raftkv cluster ...}: operate a running cluster. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Inspect and operate a running cluster.",
        subcommands = {ClusterStatusCommand.class, ClusterAdminCommand.Add.class, ClusterAdminCommand.TransferLeader.class,
                ClusterAdminCommand.Promote.class, ClusterAdminCommand.Remove.class, CommandLine.HelpCommand.class})
final class ClusterCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
