package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real nodes over TCP on 127.0.0.1 with real disks: the runtime end to end. */
class RaftNodeTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void proposalsOnTheLeaderAndOnFollowersAreAppliedEverywhereInOneOrder() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, b -> { })) {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                RaftNode target = new ArrayList<>(cluster.nodes.values()).get(i % 3);
                futures.add(target.propose(bytes("c" + i)));
            }
            for (CompletableFuture<byte[]> f : futures) {
                assertThat(Integer.parseInt(text(f.get(10, TimeUnit.SECONDS)))).isBetween(1, 200);
            }
            long commit = leader.status().commitIndex();
            for (RaftNode node : cluster.nodes.values()) {
                node.readBarrier().get(10, TimeUnit.SECONDS);
                assertThat(node.status().appliedIndex()).isGreaterThanOrEqualTo(commit);
            }
            List<String> first = cluster.machines.get(NodeId.of("n1")).applied();
            assertThat(first).hasSize(200);
            for (ListStateMachine m : cluster.machines.values()) {
                assertThat(m.applied()).isEqualTo(first);
            }
        }
    }

    @Test
    void aDeterministicRejectionIsTheCommandsResultAndTheNodeKeepsRunning() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, b -> { })) {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));

            assertThatThrownBy(() -> leader.propose(bytes("fail:x")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RaftNodeException.Rejected.class);
            assertThat(text(leader.propose(bytes("ok")).get(10, TimeUnit.SECONDS))).isEqualTo("1");
        }
    }

    @Test
    void afterTheLeaderStopsANewOneIsElectedAndNoAcknowledgedWriteIsLost() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, b -> { })) {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            for (int i = 0; i < 50; i++) {
                leader.propose(bytes("a" + i)).get(10, TimeUnit.SECONDS);
            }
            NodeId old = leader.config().id();
            cluster.stop(old);

            RaftNode next = cluster.awaitLeader(Duration.ofSeconds(10));
            assertThat(next.config().id()).isNotEqualTo(old);
            next.propose(bytes("after")).get(10, TimeUnit.SECONDS);
            next.readBarrier().get(10, TimeUnit.SECONDS);
            List<String> applied = cluster.machines.get(next.config().id()).applied();
            assertThat(applied).hasSize(51).startsWith("a0").endsWith("after");

            cluster.start(old); // rejoins from its data directory and catches up
            RaftNode rejoined = cluster.nodes.get(old);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cluster.machines.get(old).applied().size() < 51 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(cluster.machines.get(old).applied()).isEqualTo(applied);
            assertThat(rejoined.failure()).isNull();
        }
    }

    @Test
    void aFollowerFarBehindCatchesUpThroughASnapshot() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3,
                b -> b.snapshotEveryEntries(20).snapshotRetainEntries(5))) {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            NodeId lagging = cluster.nodes.keySet().stream().filter(id -> !id.equals(leader.config().id()))
                    .findFirst().orElseThrow();
            cluster.stop(lagging);
            for (int i = 0; i < 120; i++) {
                leader.propose(bytes("s" + i)).get(10, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (leader.status().snapshotIndex() < 60 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(leader.status().snapshotIndex()).as("leader compacted its log").isGreaterThanOrEqualTo(60);

            cluster.start(lagging);
            List<String> expected = cluster.machines.get(leader.config().id()).applied();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (cluster.machines.get(lagging).applied().size() < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(cluster.machines.get(lagging).applied()).isEqualTo(expected);
            assertThat(cluster.nodes.get(lagging).status().snapshotIndex()).isPositive();
        }
    }

    @Test
    void aFullClusterRestartKeepsEveryAcknowledgedWrite() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        LocalCluster cluster = new LocalCluster(dir, 3, b -> { });
        try {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            for (int i = 0; i < 30; i++) {
                leader.propose(bytes("r" + i)).get(10, TimeUnit.SECONDS);
                acknowledged.add("r" + i);
            }
        } finally {
            cluster.close();
        }
        for (NodeId id : cluster.peers.keySet()) {
            cluster.start(id);
        }
        try {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            leader.readBarrier().get(10, TimeUnit.SECONDS);
            assertThat(cluster.machines.get(leader.config().id()).applied()).containsExactlyElementsOf(acknowledged);
        } finally {
            cluster.close();
        }
    }

    @Test
    void withoutALeaderAProposalFailsWithARetryableErrorRatherThanHanging() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, b -> { })) {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            for (NodeId id : List.copyOf(cluster.nodes.keySet())) {
                if (!id.equals(NodeId.of("n1"))) {
                    cluster.stop(id);
                }
            }
            RaftNode alone = cluster.nodes.get(NodeId.of("n1"));
            Thread.sleep(600); // longer than an election timeout: a lone leader steps down (check-quorum)

            CompletableFuture<byte[]> f = alone.propose(bytes("x"));
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RaftNodeException.class);
            assertThat(leader).isNotNull();
        }
    }

    @Test
    void leadershipMovesToTheNamedVoterAndTheOldLeaderForwardsAgain() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, b -> { })) {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            leader.propose(bytes("before")).get(10, TimeUnit.SECONDS);
            NodeId target = cluster.nodes.keySet().stream().filter(id -> !id.equals(leader.config().id()))
                    .findFirst().orElseThrow();

            NodeId newLeader = leader.transferLeadership(target).get(10, TimeUnit.SECONDS);

            assertThat(newLeader).isEqualTo(target);
            assertThat(cluster.awaitLeader(Duration.ofSeconds(10)).config().id()).isEqualTo(target);
            // The old leader takes commands again, as a follower forwarding them.
            assertThat(text(leader.propose(bytes("after")).get(10, TimeUnit.SECONDS))).isEqualTo("2");
            // A transfer to a server that is not a voter is refused for good.
            assertThatThrownBy(() -> cluster.nodes.get(target).transferLeadership(NodeId.of("n9"))
                    .get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RaftNodeException.Rejected.class);
        }
    }

    @Test
    void removingAFollowerCommitsOnceAndIsIdempotent() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, b -> { })) {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            leader.propose(bytes("first")).get(10, TimeUnit.SECONDS);
            NodeId follower = cluster.nodes.keySet().stream().filter(id -> !id.equals(leader.config().id()))
                    .findFirst().orElseThrow();
            ConfigChange remove = new ConfigChange.RemoveServer(follower);

            assertThat(leader.changeMembership(remove).get(10, TimeUnit.SECONDS)).isEqualTo(MembershipOutcome.CHANGED);
            assertThat(leader.status().voters()).hasSize(2).doesNotContain(follower);
            assertThat(leader.changeMembership(remove).get(10, TimeUnit.SECONDS))
                    .isEqualTo(MembershipOutcome.ALREADY_DONE);
            // The two remaining voters still commit.
            assertThat(text(leader.propose(bytes("second")).get(10, TimeUnit.SECONDS))).isNotEmpty();
            // Only the leader takes changes; a follower names it.
            RaftNode other = cluster.nodes.entrySet().stream()
                    .filter(e -> !e.getKey().equals(follower) && !e.getKey().equals(leader.config().id()))
                    .findFirst().orElseThrow().getValue();
            assertThatThrownBy(() -> other.changeMembership(remove).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RaftNodeException.NotLeader.class);
        }
    }
}
