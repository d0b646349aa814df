package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Growing, shrinking and repairing a live cluster of real server processes under write load, the
 * way docs/operations.md tells an operator to: {@code raftkv server --join}, {@code raftkv cluster
 * add|promote|remove|transfer-leader}. Every acknowledged write must survive every step.
 */
@ExtendWith(LogsOnFailure.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MembershipProcessTest {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String run(int expectedStatus, String... args) {
        return CliRun.run(expectedStatus, args);
    }

    private String admin(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--endpoints";
        all[args.length + 1] = cluster.endpoints();
        return run(0, all);
    }

    private Set<String> voters(ServerProcess node) {
        return Set.of(node.info(ProcessCluster.INFO_TIMEOUT).get("raft_voters").split(","));
    }

    private void awaitVoters(Set<String> expected) {
        Await.until("every member lists the voters " + expected, STEP_TIMEOUT, () -> cluster.running().stream()
                .allMatch(n -> expected.equals(Set.of(n.tryInfo(ProcessCluster.INFO_TIMEOUT)
                        .getOrDefault("raft_voters", "").split(",")))), cluster::describe);
    }

    private static void wipe(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void growShrinkReplaceAndTransferUnderWriteLoadLoseNothing() throws Exception {
        cluster = ProcessCluster.started(dir, 3);
        ServerProcess first = cluster.awaitLeader();
        List<ServerProcess> followers = cluster.others(first);
        ServerProcess keeper = followers.get(0);   // an original member that stays to the end
        ServerProcess dropped = followers.get(1);  // an original follower removed when shrinking
        // Clients write through the node that stays; it forwards to whichever node leads.
        WriteLoad load = new WriteLoad(cluster, List.of(keeper), "memb", 4, 100).start();
        ServerProcess n4;
        ServerProcess n5;
        try {
            load.awaitAcknowledged(200, STEP_TIMEOUT);

            // Grow 3 -> 5: n4 joins on its own; n5 is added by the operator as a learner first.
            n4 = cluster.join("n4");
            awaitVoters(Set.of("n1", "n2", "n3", "n4"));
            int[] ports = ProcessCluster.freePorts(1);
            String n5Raft = ServerProcess.HOST + ":" + ports[0];
            assertThat(admin("cluster", "add", "n5=" + n5Raft, "--learner").strip()).isEqualTo("learner: OK");
            assertThat(admin("cluster", "add", "n5=" + n5Raft, "--learner").strip()).isEqualTo("learner: OK already done");
            assertThat(run(1, "cluster", "add", "n5=127.0.0.1:1", "--endpoints", cluster.endpoints()))
                    .contains("already a member with Raft address " + n5Raft);
            n5 = joinAt("n5", ports[0], "--learner");
            assertThat(admin("cluster", "promote", "n5").strip()).isEqualTo("OK");
            awaitVoters(Set.of("n1", "n2", "n3", "n4", "n5"));
            load.awaitAcknowledged(load.acknowledged.size() + 200, STEP_TIMEOUT);

            // Shrink 5 -> 3, the leader first (thesis §4.2.2: it hands over once the change commits).
            ServerProcess leader = cluster.awaitLeader();
            List<ServerProcess> removable = Stream.of(leader, first, dropped)
                    .filter(n -> n != keeper && n != n4 && n != n5).distinct().limit(2).toList();
            for (ServerProcess node : removable) {
                assertThat(admin("cluster", "remove", node.id).strip()).isEqualTo("OK");
                cluster.retire(node);
            }
            Set<String> three = Set.of(keeper.id, n4.id, n5.id);
            awaitVoters(three);
            ServerProcess afterShrink = cluster.awaitLeader();
            long term = Long.parseLong(afterShrink.info(ProcessCluster.INFO_TIMEOUT).get("raft_term"));
            // The removed servers keep running for several election timeouts; they must not
            // disturb the remaining voters (thesis §4.2.3).
            load.awaitAcknowledged(load.acknowledged.size() + 300, STEP_TIMEOUT);
            Thread.sleep(1_500);
            Map<String, String> later = afterShrink.info(ProcessCluster.INFO_TIMEOUT);
            assertThat(later.get("raft_role")).isEqualTo("leader");
            assertThat(Long.parseLong(later.get("raft_term"))).isEqualTo(term);
            removable.forEach(ServerProcess::kill);

            // Replace a node whose disk was lost: remove it, wipe it, let it join again.
            ServerProcess lost = n4 == afterShrink ? n5 : n4;
            lost.kill();
            wipe(lost.dataDir);
            assertThat(admin("cluster", "remove", lost.id).strip()).isEqualTo("OK");
            cluster.retire(lost);
            Set<String> two = new java.util.HashSet<>(three);
            two.remove(lost.id);
            awaitVoters(two);
            ServerProcess back = cluster.join(lost.id);
            awaitVoters(three);
            load.awaitAcknowledged(load.acknowledged.size() + 200, STEP_TIMEOUT);

            // Leadership moves to the rejoined node under load.
            assertThat(admin("cluster", "transfer-leader", back.id).strip()).isEqualTo("OK leader=" + back.id);
            load.awaitAcknowledged(load.acknowledged.size() + 200, STEP_TIMEOUT);
        } finally {
            load.stop();
        }
        Map<String, String> acknowledged = Map.copyOf(load.acknowledged);
        ServerProcess finalLeader = cluster.awaitLeader();
        for (ServerProcess node : cluster.running()) {
            List<String> problems = KvChecks.mismatches(node, acknowledged, node != finalLeader);
            if (node != finalLeader && !problems.isEmpty()) {
                // A follower's own state may trail by the last few entries; wait until it applied the leader's commit.
                long commit = Long.parseLong(finalLeader.info(ProcessCluster.INFO_TIMEOUT).get("raft_commit_index"));
                cluster.awaitApplied(node, commit, STEP_TIMEOUT);
                problems = KvChecks.mismatches(node, acknowledged, true);
            }
            assertThat(problems).as("acknowledged writes missing or wrong at %s: %s", node.id,
                    KvChecks.firstFew(problems)).isEmpty();
        }
        assertThat(acknowledged).hasSizeGreaterThan(1_000);
        cluster.assertNoFatalLogLines();
    }

    /** Like {@link ProcessCluster#join} but on a Raft port chosen beforehand (the operator added it there). */
    private ServerProcess joinAt(String id, int raftPort, String... extraArgs) {
        return cluster.joinAt(id, raftPort, extraArgs);
    }
}
