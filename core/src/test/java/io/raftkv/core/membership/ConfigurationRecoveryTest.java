package io.raftkv.core.membership;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.configEntry;
import static io.raftkv.core.harness.Msgs.entry;
import static io.raftkv.core.harness.Msgs.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.ConfigChange;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.harness.TestNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where a server's configuration comes from (thesis §4.1, §5.1): the last configuration entry of
 * its log, committed or not, reverting when that entry is deleted; else its snapshot's; across
 * restarts and snapshot installs.
 */
class ConfigurationRecoveryTest {
    private static final ClusterConfig THREE = ClusterConfig.ofVoters(List.of(id("n1"), id("n2"), id("n3")));

    /** A learner promoted by an uncommitted entry is a learner again when a new leader deletes that entry. */
    @Test
    void deletingAnUncommittedPromotionMakesTheServerALearnerAgain() {
        TestNode n4 = TestNode.builder("n4").voters("n1", "n2", "n3").build();
        n4.step(append("n1", "n4", 1, 0, 0, 2, entry(1, 1), configEntry(2, 1, List.of("n1", "n2", "n3"), List.of("n4"))));
        n4.step(append("n1", "n4", 1, 2, 1, 2, configEntry(3, 1, List.of("n1", "n2", "n3", "n4"), List.of())));
        assertThat(n4.core().role()).isEqualTo(RaftRole.FOLLOWER);

        n4.step(append("n2", "n4", 2, 2, 1, 2, new LogEntry(3, 2, EntryType.NO_OP, null)));

        assertThat(n4.core().role()).isEqualTo(RaftRole.LEARNER);
        assertThat(n4.core().clusterConfig().learners()).containsExactly(id("n4"));
    }

    /** The leader's own uncommitted change is deleted when it rejoins under a newer leader: its configuration reverts. */
    @Test
    void aDeposedLeadersUncommittedChangeIsUndone() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").spares("n4").build();
        String old = cluster.awaitLeader(300);
        cluster.isolate(old);
        assertThat(cluster.proposeConfigChange(old, new ConfigChange.AddLearner(id("n4")))).isInstanceOf(ProposeResult.Accepted.class);
        assertThat(cluster.core(old).clusterConfig().learners()).containsExactly(id("n4"));

        cluster.runUntil("a new leader", 300, () -> cluster.leader() != null && !cluster.leader().equals(old));
        String leader = cluster.leader();
        cluster.propose(leader, "x");
        cluster.heal();
        cluster.awaitConvergence(300);

        assertThat(cluster.core(old).clusterConfig()).isEqualTo(THREE);
        assertThat(cluster.core(old).role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(cluster.core("n4").log().lastIndex()).as("n4 was never added").isZero();
    }

    /** A learner too far behind gets a snapshot, which carries the configuration (thesis §5.1) that names it. */
    @Test
    void aLearnerInstallingASnapshotGetsItsConfiguration() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").spares("n4").build();
        String leader = cluster.awaitLeader(300);
        cluster.dropMessagesTo("n4");
        cluster.proposeConfigChange(leader, new ConfigChange.AddLearner(id("n4")));
        for (int i = 0; i < 5; i++) {
            cluster.propose(leader, "x" + i);
        }
        cluster.stabilize();
        SnapshotMetadata snapshot = cluster.takeSnapshot(leader);
        cluster.compactLog(leader, snapshot.lastIncludedIndex());
        assertThat(snapshot.config().learners()).containsExactly(id("n4"));

        cluster.heal();
        cluster.awaitConvergence(300);

        assertThat(cluster.node("n4").installedSnapshots()).containsExactly(snapshot);
        assertThat(cluster.core("n4").clusterConfig()).isEqualTo(cluster.core(leader).clusterConfig());
        assertThat(cluster.core("n4").role()).isEqualTo(RaftRole.LEARNER);
        assertThat(cluster.appliedCommands("n4")).containsExactly("x0", "x1", "x2", "x3", "x4");
    }

    /**
     * A restarted server takes its configuration from its snapshot plus the configuration entries
     * of its log after it, the last one winning.
     */
    @Test
    void aRestartedServerRecoversItsConfigurationFromSnapshotAndLog() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").spares("n4").build();
        String leader = cluster.awaitLeader(300);
        cluster.proposeConfigChange(leader, new ConfigChange.AddLearner(id("n4")));
        cluster.runUntil("n4 caught up", 200, () -> cluster.core(leader).peerStatus().get(id("n4")).caughtUp());
        cluster.proposeConfigChange(leader, new ConfigChange.PromoteLearner(id("n4")));
        cluster.awaitConvergence(200);
        String other = cluster.ids().stream().filter(n -> !n.equals(leader) && !n.equals("n4")).findFirst().orElseThrow();
        for (String n : cluster.ids()) {
            cluster.compactLog(n, cluster.takeSnapshot(n).lastIncludedIndex()); // the changes so far are in snapshots only
        }
        cluster.proposeConfigChange(leader, new ConfigChange.RemoveServer(id(other)));
        cluster.propose(leader, "after");
        cluster.awaitConvergence(200);
        ClusterConfig expected = new ClusterConfig(Set.of(id(leader), id("n4"),
                id(List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader) && !n.equals(other)).findFirst().orElseThrow())),
                Set.of());
        assertThat(cluster.core(leader).clusterConfig()).isEqualTo(expected);

        cluster.runTicks(2); // the commit index, which alone is persisted within two ticks, covers the log
        cluster.crash("n4");
        cluster.restart("n4");
        assertThat(cluster.core("n4").clusterConfig()).as("from the log entry after the snapshot").isEqualTo(expected);
        assertThat(cluster.core("n4").role()).isEqualTo(RaftRole.FOLLOWER);

        cluster.compactLog("n4", cluster.takeSnapshot("n4").lastIncludedIndex());
        cluster.crash("n4");
        cluster.restart("n4");
        assertThat(cluster.core("n4").log().firstIndex()).isGreaterThan(cluster.core("n4").log().lastIndex());
        assertThat(cluster.core("n4").clusterConfig()).as("from the snapshot alone").isEqualTo(expected);

        cluster.crash(other);
        cluster.restart(other);
        assertThat(cluster.core(other).role()).as("it learned of its removal before the crash").isEqualTo(RaftRole.LEARNER);
    }
}
