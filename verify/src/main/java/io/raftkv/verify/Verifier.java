package io.raftkv.verify;

import io.raftkv.verify.client.RespClient;
import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.ServerProcess;
import io.raftkv.verify.history.FaultInterval;
import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.HistoryWriter;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import io.raftkv.verify.nemesis.Nemesis;
import io.raftkv.verify.nemesis.NemesisSchedule;
import io.raftkv.verify.workload.ClientConnection;
import io.raftkv.verify.workload.ClientWorker;
import io.raftkv.verify.workload.OpRecorder;
import io.raftkv.verify.workload.Request;
import io.raftkv.verify.workload.RequestGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

/**
 * One verify run: start a cluster of real servers, run clients and the nemesis for the chosen
 * time, heal, let the cluster settle, read the final state, stop the servers and check the
 * history. Everything it produces goes to the run directory.
 */
public final class Verifier {
    /** How long the cluster gets to elect a leader at the start and to recover after healing. */
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** Attempts at each final read before its key counts as unread. */
    private static final int FINAL_READ_ATTEMPTS = 20;
    /** Process ids of the final reads, apart from the clients'. */
    private static final int FINAL_PROCESS_BASE = 1_000_000;

    private final VerifyOptions options;
    private final PrintStream out;
    private final List<FaultInterval> faults = new CopyOnWriteArrayList<>();
    /** The fault each schedule has in place now, by schedule. */
    private final Map<String, String> currentFaults = new ConcurrentSkipListMap<>();
    private final List<String> clusterProblems = new ArrayList<>();

    public Verifier(VerifyOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs it; the result's verdict is also the last line printed.
     *
     * @throws ClusterStartException if the servers did not start or elect a leader (their logs are in the run directory)
     */
    public VerifyResult run() throws IOException, InterruptedException {
        Path runDir = options.runDir();
        Files.createDirectories(runDir);
        long start = System.nanoTime();
        OpRecorder recorder;
        long runNanos;
        try (HistoryWriter history = new HistoryWriter(runDir.resolve("history.jsonl"));
             LocalCluster cluster = LocalCluster.create(options.nodes(), options.spares(), runDir,
                     options.launcher().withClasspathCopiedTo(runDir.resolve("classpath")))) {
            out.printf("verify: %d nodes%s, %s, nemesis %s, workloads %s, %d clients; run directory %s%n",
                    options.nodes(), options.spares() > 0 ? " and " + options.spares() + " spares" : "",
                    options.duration(), nemesisNames(), workloadNames(), options.clients(), runDir.toAbsolutePath());
            try {
                cluster.startAll();
                cluster.awaitReady(SETTLE);
            } catch (IOException e) {
                throw new ClusterStartException("the cluster did not start: " + e.getMessage(), e);
            }
            out.printf("verify: cluster up: %s%n", cluster.members());
            long clockStart = System.nanoTime();
            recorder = new OpRecorder(history, () -> System.nanoTime() - clockStart);
            runWorkload(cluster, recorder, history);
            runNanos = recorder.now();
            List<ServerProcess> settled = settle(cluster);
            finalReads(settled, recorder);
            clusterProblems.addAll(cluster.problems());
            for (ServerProcess server : cluster.servers()) {
                int status = server.unexpectedExitStatus();
                if (status >= 0) {
                    clusterProblems.add(server.id() + " exited on its own with status " + status
                            + " (a crash or fail-stop; see " + server.logFile().getFileName() + "):\n"
                            + server.logTail(15));
                }
            }
        }
        out.printf("verify: servers stopped after %.1f s; checking %d operations...%n",
                (System.nanoTime() - start) / 1e9, recorder.ops().size());
        return check(recorder, runNanos);
    }

    private void runWorkload(LocalCluster cluster, OpRecorder recorder, HistoryWriter history)
            throws InterruptedException {
        RequestGenerator generator = new RequestGenerator(options.workloads());
        long deadline = System.nanoTime() + options.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        int timeoutMillis = (int) options.opTimeout().toMillis();
        for (int i = 0; i < options.clients(); i++) {
            int slot = i;
            ClientConnection.Target first = clientTarget(cluster, slot);
            ClientConnection connection = new ClientConnection(first.node(), first.address(), timeoutMillis, recorder);
            ClientWorker worker = new ClientWorker(i, options.clients(), connection, generator,
                    options.seed() * 1_000_003L + i, () -> System.nanoTime() < deadline,
                    () -> clientTarget(cluster, slot));
            Thread thread = new Thread(worker, "verify-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        List<NemesisSchedule> schedules = schedules(cluster, recorder, history);
        threads.forEach(Thread::start);
        schedules.forEach(NemesisSchedule::start);
        try {
            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.min(5_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                out.printf("verify: t=%3ds ok=%d fail=%d unknown=%d fault: %s%n", recorder.now() / 1_000_000_000L,
                        recorder.okCount(), recorder.failCount(), recorder.unknownCount(),
                        currentFaults.isEmpty() ? "none" : String.join(" + ", currentFaults.values()));
            }
            for (Thread thread : threads) {
                thread.join(options.opTimeout().toMillis() + 10_000);
                if (thread.isAlive()) {
                    clusterProblems.add(thread.getName() + " did not finish its last operation: a client hung past "
                            + "its timeout");
                }
            }
        } finally {
            stopAll(schedules);
        }
    }

    /** Stops every schedule, even if one reports that its nemesis failed; then throws the first failure. */
    private static void stopAll(List<NemesisSchedule> schedules) throws InterruptedException {
        IllegalStateException failure = null;
        for (NemesisSchedule schedule : schedules) {
            try {
                schedule.stop();
            } catch (IllegalStateException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Client {@code slot}'s node: the members are shared out round-robin, so clients follow the
     * membership (a removed node's clients move, added nodes get some); a member that is down
     * keeps its clients, which retry until it is back, as under the kill nemesis.
     */
    private static ClientConnection.Target clientTarget(LocalCluster cluster, int slot) {
        List<ServerProcess> members = cluster.members();
        ServerProcess server = members.get(slot % members.size());
        return new ClientConnection.Target(server.id(), server.clientAddress());
    }

    /**
     * One schedule taking turns among the nemeses that share one, and one for each nemesis with
     * a schedule of its own (membership changes, which run while the other faults do). Each gets
     * its own seeded random, so adding one does not change the others' choices.
     */
    private List<NemesisSchedule> schedules(LocalCluster cluster, OpRecorder recorder, HistoryWriter history) {
        List<NemesisSchedule> schedules = new ArrayList<>();
        List<Nemesis> shared = options.nemeses().stream().filter(n -> !n.ownSchedule()).toList();
        if (!shared.isEmpty()) {
            schedules.add(schedule("verify-nemesis", cluster, shared, new Random(options.seed()), options.timing(),
                    recorder, history));
        }
        for (Nemesis own : options.nemeses().stream().filter(Nemesis::ownSchedule).toList()) {
            // Its changes are the fault; the time between them is the usual quiet period.
            NemesisSchedule.Timing timing = new NemesisSchedule.Timing(Duration.ZERO, Duration.ZERO,
                    options.timing().healMin(), options.timing().healMax());
            schedules.add(schedule("verify-" + own.name(), cluster, List.of(own),
                    new Random(options.seed() ^ own.name().hashCode()), timing, recorder, history));
        }
        return schedules;
    }

    private NemesisSchedule schedule(String name, LocalCluster cluster, List<Nemesis> nemeses, Random random,
                                     NemesisSchedule.Timing timing, OpRecorder recorder, HistoryWriter history) {
        return new NemesisSchedule(name, cluster, nemeses, random, timing, recorder::now, fault -> {
            currentFaults.put(name, fault);
            out.printf("verify: t=%3ds fault  %s%n", recorder.now() / 1_000_000_000L, fault);
        }, interval -> {
            faults.add(interval);
            currentFaults.remove(name);
            out.printf("verify: t=%3ds healed %s: %s%n", interval.endNanos() / 1_000_000_000L, interval.nemesis(),
                    interval.description());
            history.fault(interval);
        });
    }

    /**
     * Waits until every member answers a linearizable read: the cluster has recovered from the
     * faults. A member that does not is a problem of the run; the ones that do are returned.
     */
    private List<ServerProcess> settle(LocalCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<ServerProcess> settled = new ArrayList<>();
        for (ServerProcess server : cluster.members()) {
            boolean answered = answersRead(server);
            while (!answered && System.nanoTime() < deadline) {
                Thread.sleep(200);
                answered = answersRead(server);
            }
            if (answered) {
                settled.add(server);
            } else {
                clusterProblems.add(server.id() + " did not serve a linearizable read within " + SETTLE
                        + " after every fault was healed: " + server + "; its raft state: " + server.raftInfo(2_000)
                        + "\n" + server.logTail(15));
            }
        }
        out.printf("verify: healed and settled%s; leader %s%n", settled.size() == cluster.members().size() ? ""
                : " except " + cluster.members().stream().filter(s -> !settled.contains(s)).map(ServerProcess::id).toList(),
                cluster.leader().map(ServerProcess::id).orElse("none"));
        if (options.spares() > 0) {
            out.printf("verify: final configuration: %s%n", cluster.membership().map(Object::toString).orElse("no leader"));
        }
        return settled;
    }

    private static boolean answersRead(ServerProcess server) {
        try (RespClient client = new RespClient(server.clientAddress(), 2_000)) {
            Object reply = client.call("GET", "verify/settle");
            return reply == null || reply instanceof String;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads every list and the counter at every member that settled, retrying until each read
     * succeeds. (One that did not settle is already a problem of the run; reading hundreds of keys
     * there twenty times each would only stretch the run by hours.)
     */
    private void finalReads(List<ServerProcess> members, OpRecorder recorder) throws InterruptedException {
        List<Request> wanted = finalReadKeys(recorder);
        int process = FINAL_PROCESS_BASE;
        for (ServerProcess server : members) {
            try (ClientConnection connection = new ClientConnection(server.id(), server.clientAddress(),
                    (int) options.opTimeout().toMillis(), recorder)) {
                for (Request read : wanted) {
                    for (int attempt = 0; attempt < FINAL_READ_ATTEMPTS; attempt++) {
                        ClientConnection.Answer answer = connection.execute(process, read, true);
                        if (answer.outcome() == Outcome.OK) {
                            break;
                        }
                        if (answer.outcome() == Outcome.UNKNOWN) {
                            process++;
                        }
                        Thread.sleep(250);
                    }
                }
            }
            process++;
        }
        out.printf("verify: %d final reads at each of %d members%n", wanted.size(), members.size());
    }

    /** The append keys that saw operations, and the counter if it did. */
    private static List<Request> finalReadKeys(OpRecorder recorder) {
        Map<String, Workload> keys = new TreeMap<>();
        for (Op op : recorder.ops()) {
            if (op.workload() != Workload.REGISTER) {
                keys.put(op.key(), op.workload());
            }
        }
        return keys.entrySet().stream().map(e -> new Request(e.getValue(), Fn.READ, e.getKey(), null)).toList();
    }

    private VerifyResult check(OpRecorder recorder, long runNanos) throws IOException {
        return new HistoryJudge(options.runDir(), out).judge("raftkv verify: " + nemesisNames() + " / "
                + workloadNames(), settings(), recorder.ops(), List.copyOf(faults), options.workloads(),
                options.checkTimeout(), clusterProblems, runNanos);
    }

    private List<String> settings() {
        return List.of("nodes=" + options.nodes(), "spares=" + options.spares(), "time=" + options.duration().toSeconds() + "s",
                "nemesis=" + nemesisNames(), "workloads=" + workloadNames(), "clients=" + options.clients(),
                "op-timeout=" + options.opTimeout().toMillis() + "ms", "seed=" + options.seed());
    }

    private String nemesisNames() {
        return options.nemeses().isEmpty() ? "none"
                : options.nemeses().stream().map(Nemesis::name).collect(Collectors.joining(","));
    }

    private String workloadNames() {
        return options.workloads().stream().sorted().map(Workload::label).collect(Collectors.joining(","));
    }
}
