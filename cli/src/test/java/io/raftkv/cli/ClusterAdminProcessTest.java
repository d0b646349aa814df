package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftkv cluster transfer-leader} and {@code cluster remove} against real server processes
 * under write load: leadership moves to the named node, a removed node leaves the voters and, left
 * running, cannot raise the cluster's term, and no acknowledged write is lost.
 */
@ExtendWith(LogsOnFailure.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterAdminProcessTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String run(String... args) {
        return run(0, args);
    }

    private static String run(int expectedStatus, String... args) {
        return CliRun.run(expectedStatus, args);
    }

    @Test
    void transferLeadershipThenRemoveAFollowerUnderLoadLosesNothing() {
        cluster = ProcessCluster.started(dir, 3);
        ServerProcess leader = cluster.awaitLeader();
        ServerProcess target = cluster.others(leader).get(0);
        WriteLoad load = new WriteLoad(cluster, "adm", 4, 100).start();
        try {
            load.awaitAcknowledged(200, Duration.ofSeconds(60));

            // Requests that can never succeed fail at once with the reason; nothing changes.
            assertThat(run(1, "cluster", "remove", "bad id", "--endpoints", cluster.endpoints()))
                    .contains("bad node id");
            assertThat(run(1, "cluster", "transfer-leader", "n9", "--endpoints", cluster.endpoints()))
                    .contains("n9 is not a voter");
            assertThat(run(1, "cluster", "promote", "n9", "--endpoints", cluster.endpoints()))
                    .contains("not a learner");

            // Whichever endpoint answers first, the command finds the leader itself.
            String moved = run("cluster", "transfer-leader", target.id, "--endpoints", cluster.endpoints());
            assertThat(moved.strip()).isEqualTo("OK leader=" + target.id);
            assertThat(cluster.awaitLeader().id).isEqualTo(target.id);
            load.awaitAcknowledged(load.acknowledged.size() + 200, Duration.ofSeconds(60));

            ServerProcess removed = cluster.others(target).get(0);
            assertThat(run("cluster", "remove", removed.id, "--endpoints", cluster.endpoints()).strip()).isEqualTo("OK");
            assertThat(run("cluster", "remove", removed.id, "--endpoints", cluster.endpoints()).strip())
                    .isEqualTo("OK already done");
            Map<String, String> info = target.info(ProcessCluster.INFO_TIMEOUT);
            assertThat(info.get("raft_voters").split(",")).containsExactlyInAnyOrder(target.id, leader.id.equals(removed.id)
                    ? cluster.others(target).get(1).id : leader.id);
            assertThat(run("cluster", "status", "--endpoints", cluster.endpoints())).contains("voters: ");

            // The removed node keeps running; it must not disrupt the two voters.
            long term = Long.parseLong(info.get("raft_term"));
            load.awaitAcknowledged(load.acknowledged.size() + 300, Duration.ofSeconds(60));
            Map<String, String> later = target.info(ProcessCluster.INFO_TIMEOUT);
            assertThat(later.get("raft_role")).isEqualTo("leader");
            assertThat(Long.parseLong(later.get("raft_term"))).isEqualTo(term);
        } finally {
            load.stop();
        }
        Map<String, String> acknowledged = Map.copyOf(load.acknowledged);
        assertThat(acknowledged).hasSizeGreaterThan(700);
        List<String> problems = KvChecks.mismatches(target, acknowledged, false);
        assertThat(problems).as("acknowledged writes missing or wrong at the new leader: %s",
                KvChecks.firstFew(problems)).isEmpty();
    }
}
