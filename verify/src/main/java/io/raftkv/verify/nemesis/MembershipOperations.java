package io.raftkv.verify.nemesis;

import io.raftkv.verify.client.LeaderAdmin;
import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.cluster.LocalCluster.Standing;
import io.raftkv.verify.cluster.Membership;
import io.raftkv.verify.cluster.ServerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one {@link MembershipChange} on a {@link LocalCluster} the way an operator would,
 * through {@code RAFT ...} requests to the leader and {@code raftkv server --join}, waiting
 * (bounded) for each step to take effect. Nothing here judges the cluster: a step that does not
 * finish in time is reported in the description, and what it left behind is for the final
 * settle and the checkers to judge.
 */
final class MembershipOperations {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipOperations.class);
    /** A request the leader must answer; long enough to ride out an election or a healed partition. */
    private static final long ADMIN_TIMEOUT_MILLIS = 30_000;
    /** How long a joining server gets to catch up and be promoted (thesis §4.2.1). */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    /** How long until every reachable member has applied a removal. */
    private static final Duration REMOVAL_TIMEOUT = Duration.ofSeconds(20);
    /** How often the state is polled while waiting. */
    private static final long POLL_MILLIS = 200;
    /** A server refusing to join exits with this status (its id is still a voter somewhere). */
    private static final int JOIN_REFUSED = 2;

    /**
     * What was done.
     *
     * @param description what happened, for the fault line
     * @param finish      what is left for the heal (stopping a removed server left running); its result
     *                    is added to the description
     * @param keepClaimed true if the node must stay claimed: a replaced node that could not be removed
     *                    is down, and stays so
     * @param leftRunning the term check of a removed server left running, set by {@code finish}
     */
    record Result(String description, Callable<String> finish, boolean keepClaimed,
                  AtomicReference<MembershipNemesis.TermWhileLeftRunning> leftRunning) {
        static Result done(String description) {
            return new Result(description, () -> "", false,
                    new AtomicReference<>(MembershipNemesis.TermWhileLeftRunning.NONE));
        }
    }

    private final LocalCluster cluster;
    private final LeaderAdmin admin;
    private final String name;

    MembershipOperations(LocalCluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
        this.admin = new LeaderAdmin(() -> cluster.members().stream().filter(ServerProcess::isAlive)
                .map(ServerProcess::clientAddress).toList());
    }

    Result apply(MembershipChange change) throws Exception {
        LOG.info("{}: {}", name, change);
        if (change instanceof MembershipChange.Grow grow) {
            return grow(grow);
        } else if (change instanceof MembershipChange.Shrink shrink) {
            return shrink(shrink);
        } else if (change instanceof MembershipChange.Replace replace) {
            return replace(replace);
        } else if (change instanceof MembershipChange.Transfer transfer) {
            return transfer(transfer);
        }
        throw new IllegalArgumentException("unknown change " + change);
    }

    private Result grow(MembershipChange.Grow grow) throws Exception {
        ServerProcess spare = cluster.server(grow.spare());
        long start = System.nanoTime();
        spare.wipeData();
        return Result.done("grow: " + grow.spare() + " joins; " + join(spare, start));
    }

    /**
     * Removes a voter (thesis §4.1; the leader steps down once the configuration without it commits,
     * §4.2.2), then stops it at once or leaves it running a while: pre-vote and ignoring votes while
     * a leader is heard keep it from raising the cluster's term (§4.2.3).
     */
    private Result shrink(MembershipChange.Shrink shrink) throws Exception {
        ServerProcess voter = cluster.server(shrink.voter());
        String what = "shrink: remove " + shrink.voter() + (shrink.leader() ? " (leader)" : "");
        LeaderAdmin.Outcome removed = admin.send(ADMIN_TIMEOUT_MILLIS, "RAFT", "REMOVE", shrink.voter());
        if (!(removed instanceof LeaderAdmin.Done)) {
            return Result.done(what + ": not done: " + removed.text());
        }
        cluster.setStanding(shrink.voter(), Standing.LEAVING);
        awaitRemovedEverywhere(shrink.voter());
        String after = "voters " + currentVoters();
        if (shrink.leftRunning().isZero()) {
            retire(voter);
            return Result.done(what + " → " + after + ", stopped and wiped");
        }
        long termBefore = clusterTerm();
        AtomicReference<MembershipNemesis.TermWhileLeftRunning> check =
                new AtomicReference<>(MembershipNemesis.TermWhileLeftRunning.NONE);
        Callable<String> finish = () -> {
            Thread.sleep(shrink.leftRunning().toMillis());
            long termAfter = clusterTerm();
            boolean wasRunning = voter.isAlive();
            // Its own view, to tell its campaigning apart from an election among the members.
            Map<String, String> own = voter.raftInfo(1_000);
            retire(voter);
            check.set(new MembershipNemesis.TermWhileLeftRunning(termBefore, termAfter));
            return "left running " + shrink.leftRunning().toMillis() / 1000.0 + " s" + (wasRunning ? "" : " (it died)")
                    + ": cluster term " + termBefore + " → " + termAfter + " (" + shrink.voter() + " itself: "
                    + own.getOrDefault("raft_role", "?") + " in term " + own.getOrDefault("raft_term", "?")
                    + "); stopped and wiped";
        };
        return new Result(what + " → " + after, finish, false, check);
    }

    /** A lost disk: kill -9, wipe, remove the old identity, and join again as a new server with the same id. */
    private Result replace(MembershipChange.Replace replace) throws Exception {
        ServerProcess voter = cluster.server(replace.voter());
        long start = System.nanoTime();
        String what = "replace " + replace.voter() + (replace.leader() ? " (leader)" : "");
        voter.kill();
        voter.wipeData();
        LeaderAdmin.Outcome removed = admin.send(2 * ADMIN_TIMEOUT_MILLIS, "RAFT", "REMOVE", replace.voter());
        if (!(removed instanceof LeaderAdmin.Done)) {
            // It stays down and claimed: the final settle reports a member that never came back.
            return new Result(what + ": killed and wiped, but not removed: " + removed.text(), () -> "", true,
                    new AtomicReference<>(MembershipNemesis.TermWhileLeftRunning.NONE));
        }
        awaitRemovedEverywhere(replace.voter());
        return Result.done(what + ": killed, wiped, removed, " + join(voter, start));
    }

    private Result transfer(MembershipChange.Transfer transfer) throws InterruptedException {
        LeaderAdmin.Outcome outcome = admin.send(ADMIN_TIMEOUT_MILLIS, "RAFT", "TRANSFER-LEADER", transfer.to());
        return Result.done("transfer leadership " + transfer.from() + " → " + transfer.to() + ": "
                + (outcome instanceof LeaderAdmin.Done ? outcome.text() : "not done: " + outcome.text()));
    }

    /**
     * Starts {@code server} with {@code --join} (the members that have applied every change as
     * endpoints) and waits until it is a voter; a start refused because a member still lists it is
     * retried.
     */
    private String join(ServerProcess server, long startNanos) throws IOException, InterruptedException {
        List<ServerProcess> endpoints = upToDateMembers(server.id());
        server.useClusterArgs(cluster.joinArgs(server.id(), endpoints.isEmpty() ? cluster.members() : endpoints));
        cluster.setStanding(server.id(), Standing.MEMBER);
        server.start();
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Membership> membership = cluster.membership();
            if (membership.isPresent() && membership.get().voters().contains(server.id())) {
                return "a voter after " + seconds(startNanos) + " s → voters " + String.join(",",
                        membership.get().voters());
            }
            if (!server.isAlive() && server.exitStatus() == JOIN_REFUSED) {
                LOG.info("{}: {} refused to join (a member still lists it); starting it again", name, server.id());
                server.wipeData();
                server.start();
            }
            Thread.sleep(POLL_MILLIS);
        }
        return "NOT a voter " + JOIN_TIMEOUT.toSeconds() + " s later (" + cluster.membership().map(Object::toString)
                .orElse("no leader") + ")";
    }

    /** Waits (bounded) until no running member lists {@code id} as a member any more. */
    private void awaitRemovedEverywhere(String id) throws InterruptedException {
        long deadline = System.nanoTime() + REMOVAL_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && upToDateMembers(id).size() < runningMembers(id).size()) {
            Thread.sleep(POLL_MILLIS);
        }
    }

    private List<ServerProcess> runningMembers(String except) {
        return cluster.members().stream().filter(s -> !s.id().equals(except) && s.isAlive() && !s.isPaused()).toList();
    }

    /** Running members that no longer list {@code id} among voters or learners. */
    private List<ServerProcess> upToDateMembers(String id) {
        return runningMembers(id).stream().filter(s -> {
            Map<String, String> info = s.raftInfo(1_000);
            return !info.isEmpty() && !Membership.idsOf(info.get("raft_voters")).contains(id)
                    && !Membership.idsOf(info.get("raft_learners")).contains(id);
        }).toList();
    }

    /**
     * Stops a removed server and wipes its data: a spare identity again. A server that exited on
     * its own before is reported: being removed is no reason to crash.
     */
    private void retire(ServerProcess server) throws IOException {
        int status = server.unexpectedExitStatus();
        if (status >= 0) {
            cluster.reportProblem(server.id() + " exited on its own with status " + status + " after it was removed"
                    + " (see " + server.logFile().getFileName() + "):\n" + server.logTail(15));
        }
        server.stop(5_000);
        server.wipeData();
        cluster.setStanding(server.id(), Standing.SPARE);
    }

    /** The highest term any member reports. */
    private long clusterTerm() {
        long term = -1;
        for (ServerProcess member : cluster.members()) {
            term = Math.max(term, Long.parseLong(member.raftInfo(1_000).getOrDefault("raft_term", "-1")));
        }
        return term;
    }

    /** The voters, waiting (bounded) for a leader if an election runs, e.g. after the leader was removed. */
    private String currentVoters() throws InterruptedException {
        long deadline = System.nanoTime() + REMOVAL_TIMEOUT.toNanos();
        Optional<Membership> membership = cluster.membership();
        while (membership.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            membership = cluster.membership();
        }
        return membership.map(m -> String.join(",", m.voters())).orElse("(no leader)");
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
    }
}
