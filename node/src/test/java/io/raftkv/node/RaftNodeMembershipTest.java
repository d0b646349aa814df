package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Growing a running cluster of real nodes: a new server learns the members from the log, where its
 * address travels with the configuration entry that adds it (thesis §4.1, §4.2.1).
 */
class RaftNodeMembershipTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aJoiningServerLearnsTheLogServesReadsAndVotesOncePromoted() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, b -> { })) {
            RaftNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                leader.propose(bytes("w" + i)).get(10, TimeUnit.SECONDS);
                written.add("w" + i);
            }
            NodeId n4 = NodeId.of("n4");
            RaftNode joiner = cluster.startJoining(n4);
            String n4Address = HostPort.format(joiner.config().raftAddress());
            // Not a member yet: it neither campaigns nor disturbs the cluster.
            Thread.sleep(600);
            assertThat(joiner.status().role()).isEqualTo(RaftRole.LEARNER);
            assertThat(leader.status().role()).isEqualTo(RaftRole.LEADER);
            long term = leader.status().term();

            assertThat(leader.changeMembership(new ConfigChange.AddLearner(n4, n4Address)).get(10, TimeUnit.SECONDS))
                    .isEqualTo(MembershipOutcome.CHANGED);
            await("the learner has the log", () -> cluster.machines.get(n4).applied().size() >= written.size());
            assertThat(cluster.machines.get(n4).applied()).startsWith(written.toArray(String[]::new));
            for (RaftNode node : cluster.nodes.values()) {
                await(node.config().id() + " knows the learner's address",
                        () -> n4Address.equals(node.status().memberAddresses().get(n4)));
            }
            // A learner serves linearizable reads (ReadIndex through the leader) and forwards writes.
            long readIndex = joiner.readBarrier().get(10, TimeUnit.SECONDS);
            assertThat(readIndex).isGreaterThanOrEqualTo(written.size());
            joiner.propose(bytes("via-learner")).get(10, TimeUnit.SECONDS);
            written.add("via-learner");

            MembershipOutcome promoted = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (promoted == null) {
                try {
                    promoted = leader.changeMembership(new ConfigChange.PromoteLearner(n4)).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // Refused only while the learner is still catching up (a retryable refusal).
                    assertThat(e.getCause()).isInstanceOf(RaftNodeException.Busy.class);
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(50);
                }
            }
            assertThat(promoted).isEqualTo(MembershipOutcome.CHANGED);
            assertThat(leader.status().voters()).hasSize(4).contains(n4);
            assertThat(leader.status().term()).isEqualTo(term);

            // Four voters: a quorum is three, so with the old leader gone the new server's vote
            // and its log are needed to elect a leader and to commit.
            NodeId oldLeader = leader.config().id();
            cluster.stop(oldLeader);
            RaftNode newLeader = cluster.awaitLeader(Duration.ofSeconds(10));
            newLeader.propose(bytes("after")).get(10, TimeUnit.SECONDS);
            written.add("after");
            for (NodeId id : cluster.nodes.keySet()) {
                await(id + " applied everything", () -> cluster.machines.get(id).applied().size() >= written.size());
                assertThat(cluster.machines.get(id).applied()).isEqualTo(written);
            }
        }
    }
}
