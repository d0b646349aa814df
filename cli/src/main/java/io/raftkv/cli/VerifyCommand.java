package io.raftkv.cli;

import io.raftkv.verify.ClusterStartException;
import io.raftkv.verify.HistoryJudge;
import io.raftkv.verify.VerifyOptions;
import io.raftkv.verify.VerifyResult;
import io.raftkv.verify.Verifier;
import io.raftkv.verify.check.Validity;
import io.raftkv.verify.cluster.ServerLauncher;
import io.raftkv.verify.history.Workload;
import io.raftkv.verify.nemesis.Nemesis;
import io.raftkv.verify.nemesis.NemesisSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftkv verify}: runs a cluster of real server processes under real faults with concurrent
 * Redis-protocol clients, and checks the recorded history (docs/verification.md).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Start a cluster of real raftkv server processes on this machine, run concurrent clients over"
                + " the Redis protocol while nemeses kill, pause and partition the servers and change the membership,"
                + " then heal, read the"
                + " final state and check the history: linearizability of registers, one total order of list appends,"
                + " and counter bounds.",
                "Writes the history (JSON lines), every node's log, summary.txt and report.html to the run directory."
                + " The last line is VERDICT valid|invalid|unknown; the exit status is 0 only for valid."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "3|5", defaultValue = "3", description = "Cluster size (default ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--time", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long clients and nemesis run, e.g. 90s, 10m (default ${DEFAULT-VALUE}).")
    private String time;

    @Option(names = "--nemesis", paramLabel = "LIST", defaultValue = "all",
            description = "Comma-separated: kill, pause, partition, membership, all, or none (default ${DEFAULT-VALUE}).")
    private String nemesis;

    @Option(names = "--spares", paramLabel = "N",
            description = "Spare server identities the membership nemesis may add (default: 2 with membership, else 0).")
    private Integer spares;

    @Option(names = "--workload", paramLabel = "LIST", defaultValue = "all",
            description = "Comma-separated: register, append, counter, or all (default ${DEFAULT-VALUE}).")
    private String workload;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "10",
            description = "Concurrent clients, spread over the nodes (default ${DEFAULT-VALUE}).")
    private int clients;

    @Option(names = "--op-timeout", paramLabel = "DURATION", defaultValue = "3s",
            description = "How long a client waits before recording an operation's outcome as unknown (default ${DEFAULT-VALUE}).")
    private String opTimeout;

    @Option(names = "--fault-time", paramLabel = "MIN-MAX", defaultValue = "3s-8s",
            description = "How long each fault lasts (default ${DEFAULT-VALUE}).")
    private String faultTime;

    @Option(names = "--heal-time", paramLabel = "MIN-MAX", defaultValue = "3s-6s",
            description = "How long the quiet period between faults lasts (default ${DEFAULT-VALUE}).")
    private String healTime;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for the nemesis and the clients' choices (default: random).")
    private Long seed;

    @Option(names = "--dir", paramLabel = "RUN_DIR",
            description = "Where data, logs, history and report go (default: verify-runs/<date-time>).")
    private Path dir;

    @Option(names = "--check-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "Time budget of the linearizability search; past it the verdict is unknown (default ${DEFAULT-VALUE}).")
    private String checkTimeout;

    @Option(names = "--recheck", paramLabel = "RUN_DIR",
            description = "Do not run anything: check the history saved in RUN_DIR again and rewrite its summary and report.")
    private Path recheck;

    /** Test-only: makes every server break a guarantee on purpose, to show the verifier notices. */
    @Option(names = "--unsafe-server-fault", paramLabel = "FAULT", hidden = true)
    private String unsafeFault;

    @Override
    public Integer call() throws Exception {
        if (recheck != null) {
            Duration budget;
            try {
                budget = Durations.parse(checkTimeout, "--check-timeout");
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!java.nio.file.Files.isRegularFile(recheck.resolve("history.jsonl"))) {
                throw new ParameterException(spec.commandLine(), "--recheck: no history.jsonl in " + recheck);
            }
            return exitStatus(new HistoryJudge(recheck, System.out).recheck(budget));
        }
        Path runDir = dir != null ? dir
                : Path.of("verify-runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Nemesis> nemeses;
        try {
            nemeses = Nemesis.parse(nemesis);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--nemesis: " + e.getMessage());
        }
        List<String> extraArgs = new ArrayList<>();
        if (unsafeFault != null) {
            extraArgs.add("--unsafe-fault");
            extraArgs.add(unsafeFault);
        }
        ServerLauncher launcher = ServerLauncher.ofCurrentJvm(Main.class.getName(), extraArgs);
        VerifyOptions options;
        try {
            options = new VerifyOptions(nodes, Durations.parse(time, "--time"), nemeses, workloads(), clients,
                    Durations.parse(opTimeout, "--op-timeout"), timing(), runDir,
                    seed != null ? seed : System.nanoTime(), launcher, Durations.parse(checkTimeout, "--check-timeout"),
                    spares != null ? spares : VerifyOptions.defaultSpares(nemeses));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            return exitStatus(new Verifier(options, System.out).run());
        } catch (ClusterStartException e) {
            System.out.println("verify: " + e.getMessage());
            System.out.println("verify: server logs are in " + runDir.toAbsolutePath());
            System.out.println(new VerifyResult(Validity.UNKNOWN, 0, 0, 0, 0, runDir).verdictLine());
            return 1;
        }
    }

    private static int exitStatus(VerifyResult result) {
        return result.verdict() == Validity.VALID ? 0 : 1;
    }

    private Set<Workload> workloads() {
        Set<Workload> chosen = EnumSet.noneOf(Workload.class);
        for (String name : workload.split(",")) {
            String trimmed = name.trim();
            if (trimmed.equals("all")) {
                chosen.addAll(EnumSet.allOf(Workload.class));
            } else {
                try {
                    chosen.add(Workload.ofLabel(trimmed));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--workload: " + e.getMessage());
                }
            }
        }
        return chosen;
    }

    private NemesisSchedule.Timing timing() {
        Duration[] fault = range(faultTime, "--fault-time");
        Duration[] heal = range(healTime, "--heal-time");
        return new NemesisSchedule.Timing(fault[0], fault[1], heal[0], heal[1]);
    }

    private Duration[] range(String text, String option) {
        String[] parts = text.split("-");
        if (parts.length != 2) {
            throw new ParameterException(spec.commandLine(), option + " must be MIN-MAX, e.g. 3s-8s, not '" + text + "'");
        }
        return new Duration[] {Durations.parse(parts[0], option), Durations.parse(parts[1], option)};
    }
}
