package io.raftkv.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.message.AppendEntriesRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Crashes, lost disk writes and an unreliable network (paper §5.5, thesis §10.2.1). The harness
 * checks the safety properties after every event.
 */
class FailureScenariosTest {
    private static final int ELECTION_TICKS = 15;
    private static final int HEARTBEAT_TICKS = 3;

    private static List<String> commands(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /**
     * §5.5, R-DISK-1: every node crashes and restarts from its durable state. Terms and votes
     * survive; committed entries survive and are applied again in order; the cluster then elects a
     * leader and keeps committing on top of them.
     */
    @Test
    void allNodesCrashAndRestartWithTheirPersistedState() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(31).build();
        String leader = cluster.awaitLeader(100);
        for (String c : commands("x", 20)) {
            cluster.propose(leader, c);
        }
        cluster.runTicks(2 * HEARTBEAT_TICKS);
        Map<String, HardState> before = new HashMap<>();
        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).containsExactlyElementsOf(commands("x", 20));
            before.put(id, cluster.core(id).hardState());
        }

        for (String id : cluster.ids()) {
            cluster.crash(id);
        }
        for (String id : cluster.ids()) {
            cluster.restart(id);
        }

        for (String id : cluster.ids()) {
            assertThat(cluster.core(id).currentTerm()).as(id).isEqualTo(before.get(id).currentTerm());
            assertThat(cluster.core(id).votedFor()).as(id).isEqualTo(before.get(id).votedFor());
            assertThat(cluster.core(id).log().commitIndex()).as(id).isEqualTo(before.get(id).commitIndex());
            assertThat(cluster.appliedCommands(id)).as("%s re-applied at restart", id)
                    .containsExactlyElementsOf(commands("x", 20));
        }

        String next = cluster.awaitLeader(10 * ELECTION_TICKS);
        cluster.propose(next, "after");
        cluster.awaitConvergence(5 * ELECTION_TICKS);
        List<String> expected = new ArrayList<>(commands("x", 20));
        expected.add("after");
        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).as(id).containsExactlyElementsOf(expected);
        }
    }

    /**
     * Thesis §10.2.1: the leader sends its AppendEntries before its own disk write. If it crashes
     * before that write, the entry may still be committed by the followers' copies; the new leader
     * keeps it and the restarted old leader receives it back.
     */
    @Test
    void leaderCrashBeforePersistingItsOwnEntryLosesNothingCommitted() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(32).build();
        String old = cluster.awaitLeader(100);
        cluster.stallDisk(old);

        ProposeResult result = cluster.propose(old, "fast");
        cluster.stabilize();

        assertThat(result).isInstanceOf(ProposeResult.Accepted.class);
        long index = ((ProposeResult.Accepted) result).index();
        assertThat(cluster.core(old).log().commitIndex()).as("committed by the followers' writes").isEqualTo(index);
        assertThat(cluster.node(old).durable().log()).as("but not on the leader's disk").hasSize((int) index - 1);

        cluster.crash(old);
        String next = cluster.awaitLeader(10 * ELECTION_TICKS);
        assertThat(next).isNotEqualTo(old);
        cluster.restart(old);
        assertThat(cluster.core(old).log().lastIndex()).isEqualTo(index - 1);
        cluster.awaitConvergence(5 * ELECTION_TICKS);

        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).as(id).containsExactly("fast");
        }
    }

    /** A follower that crashes before persisting never acknowledged the entries it lost; the leader resends them. */
    @Test
    void followerCrashBeforePersistingIsRepairedByTheLeader() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(33).build();
        String leader = cluster.awaitLeader(100);
        List<String> followers = cluster.ids().stream().filter(id -> !id.equals(leader)).toList();
        cluster.stallDisk(followers.get(0));
        cluster.stallDisk(followers.get(1));

        cluster.propose(leader, "slow");
        cluster.stabilize();
        assertThat(cluster.appliedCommands(leader)).as("no acknowledgement, no commit").isEmpty();

        cluster.crash(followers.get(0));
        cluster.restart(followers.get(0));
        cluster.resumeDisk(followers.get(1));
        cluster.awaitConvergence(5 * ELECTION_TICKS);

        for (String id : cluster.ids()) {
            assertThat(cluster.appliedCommands(id)).as(id).containsExactly("slow");
        }
    }

    /**
     * §5.5, Figure 3 under an unreliable network: random drops, duplicates, delays and reordering,
     * plus churn (nodes isolated and crashed at random), over several seeds. Safety is checked
     * throughout; after healing, all nodes agree and every entry ever seen committed is on all of them.
     */
    @Test
    void unreliableNetworkWithChurn() {
        for (long seed = 1; seed <= 12; seed++) {
            TestCluster cluster = TestCluster.builder().voterCount(5).seed(seed).build();
            SplittableRandom random = cluster.random();
            cluster.setNetworkFaults(0.1, 0.05, 0.2);
            List<String> acceptedCommands = new ArrayList<>();
            String crashed = null;
            for (int tick = 0; tick < 800; tick++) {
                if (tick % 40 == 0) {
                    cluster.heal();
                    if (crashed != null) {
                        cluster.restart(crashed);
                        crashed = null;
                    }
                    String victim = cluster.ids().get(random.nextInt(cluster.ids().size()));
                    switch (random.nextInt(3)) {
                        case 0 -> cluster.isolate(victim);
                        case 1 -> {
                            cluster.crash(victim);
                            crashed = victim;
                        }
                        default -> { }
                    }
                }
                String leader = cluster.leader();
                if (leader != null && random.nextInt(4) == 0) {
                    String command = "s" + seed + "-" + tick;
                    if (cluster.propose(leader, command) instanceof ProposeResult.Accepted) {
                        acceptedCommands.add(command);
                    }
                }
                cluster.runTicks(1);
            }
            cluster.heal();
            cluster.clearNetworkFaults();
            if (crashed != null) {
                cluster.restart(crashed);
            }
            String leader = cluster.awaitLeader(20 * ELECTION_TICKS);
            cluster.propose(leader, "final");
            cluster.awaitConvergence(20 * ELECTION_TICKS);

            List<String> reference = cluster.appliedCommands(leader);
            for (String id : cluster.ids()) {
                assertThat(cluster.appliedCommands(id)).as("seed %d node %s", seed, id).isEqualTo(reference);
                for (LogEntry committed : cluster.checker().committed().values()) {
                    assertThat(cluster.core(id).log().entry(committed.index())).as("seed %d node %s", seed, id)
                            .isEqualTo(committed);
                }
            }
            assertThat(reference).as("seed %d: applied commands are distinct", seed).doesNotHaveDuplicates();
            assertThat(acceptedCommands).as("seed %d: applied commands were all accepted by a leader", seed)
                    .containsAll(reference.subList(0, reference.size() - 1));
            assertThat(reference.size()).as("seed %d makes progress", seed).isGreaterThan(20);
        }
    }

    /** The leader keeps retrying a follower whose AppendEntries are all lost (R-LOG-4), until they get through. */
    @Test
    void leaderRetriesAppendsLostOnTheWay() {
        TestCluster cluster = TestCluster.builder().voterCount(3).seed(34).build();
        String leader = cluster.awaitLeader(100);
        String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        cluster.dropMessages(m -> m instanceof AppendEntriesRequest && m.to().value().equals(follower));

        for (String c : commands("r", 5)) {
            cluster.propose(leader, c);
            cluster.runTicks(HEARTBEAT_TICKS);
        }
        assertThat(cluster.appliedCommands(follower)).isEmpty();
        assertThat(cluster.leaders()).containsExactly(leader);

        cluster.heal();
        cluster.awaitConvergence(5 * ELECTION_TICKS);
        assertThat(cluster.appliedCommands(follower)).containsExactlyElementsOf(commands("r", 5));
    }
}
