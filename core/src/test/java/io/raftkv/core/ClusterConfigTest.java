package io.raftkv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Quorum maths (paper §5.2, §5.3) checked against a naive computation over random inputs (etcd quorum/quick_test.go). */
class ClusterConfigTest {
    private static final int RUNS = 5_000;

    private static NodeId n(int i) {
        return NodeId.of("n" + i);
    }

    private static ClusterConfig randomConfig(SplittableRandom r) {
        int voters = 1 + r.nextInt(9);
        int learners = r.nextInt(3);
        Set<NodeId> v = new HashSet<>();
        Set<NodeId> l = new HashSet<>();
        for (int i = 0; i < voters; i++) {
            v.add(n(i));
        }
        for (int i = 0; i < learners; i++) {
            l.add(n(100 + i));
        }
        Map<NodeId, String> addresses = new HashMap<>();
        if (r.nextBoolean()) {
            for (NodeId id : v) {
                if (r.nextBoolean()) {
                    addresses.put(id, "127.0.0." + r.nextInt(256) + ":" + r.nextInt(65536));
                }
            }
        }
        return new ClusterConfig(v, l, addresses);
    }

    /** Naive: a majority of voters, counting each distinct voter once. */
    private static boolean naiveHasQuorum(ClusterConfig config, List<NodeId> granted) {
        Set<NodeId> distinct = new HashSet<>(granted);
        distinct.retainAll(config.voters());
        return distinct.size() > config.voters().size() / 2;
    }

    /** Naive: the largest index that a majority of voters hold (voters missing from the map hold 0). */
    private static long naiveQuorumMatchIndex(ClusterConfig config, Map<NodeId, Long> match) {
        long best = 0;
        for (long candidate : match.values()) {
            int holders = 0;
            for (NodeId voter : config.voters()) {
                if (match.getOrDefault(voter, 0L) >= candidate) {
                    holders++;
                }
            }
            if (holders > config.voters().size() / 2) {
                best = Math.max(best, candidate);
            }
        }
        return best;
    }

    @Test
    void quorumSizeIsAMajorityOfVoters() {
        for (int voters = 1; voters <= 9; voters++) {
            Set<NodeId> v = new HashSet<>();
            for (int i = 0; i < voters; i++) {
                v.add(n(i));
            }
            ClusterConfig config = new ClusterConfig(v, Set.of(n(100), n(101)));
            assertThat(config.quorumSize()).as("%d voters", voters).isEqualTo(voters / 2 + 1);
        }
    }

    /** hasQuorum equals the naive count, including learners, strangers and repeated ids in the input. */
    @Test
    void hasQuorumMatchesNaiveComputation() {
        SplittableRandom r = new SplittableRandom(42);
        for (int run = 0; run < RUNS; run++) {
            ClusterConfig config = randomConfig(r);
            List<NodeId> granted = new ArrayList<>();
            int size = r.nextInt(12);
            for (int i = 0; i < size; i++) {
                int pick = r.nextInt(4);
                granted.add(pick == 0 ? n(100 + r.nextInt(3)) : pick == 1 ? n(200 + r.nextInt(3)) : n(r.nextInt(9)));
            }
            assertThat(config.hasQuorum(granted)).as("%s granted by %s", config, granted)
                    .isEqualTo(naiveHasQuorum(config, granted));
        }
    }

    /** quorumMatchIndex equals the naive maximum over candidate indexes, with learners and missing voters. */
    @Test
    void quorumMatchIndexMatchesNaiveComputation() {
        SplittableRandom r = new SplittableRandom(43);
        for (int run = 0; run < RUNS; run++) {
            ClusterConfig config = randomConfig(r);
            Map<NodeId, Long> match = new HashMap<>();
            for (NodeId member : config.members()) {
                if (r.nextInt(5) > 0) {
                    match.put(member, (long) r.nextInt(20));
                }
            }
            assertThat(config.quorumMatchIndex(match)).as("%s with %s", config, match)
                    .isEqualTo(naiveQuorumMatchIndex(config, match));
        }
    }

    @Test
    void encodeDecodeRoundTrips() {
        SplittableRandom r = new SplittableRandom(44);
        for (int run = 0; run < 200; run++) {
            ClusterConfig config = randomConfig(r);
            assertThat(ClusterConfig.decode(config.encode())).isEqualTo(config);
        }
    }

    @Test
    void malformedConfigurationsAreRejected() {
        assertThatThrownBy(() -> new ClusterConfig(Set.of(), Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterConfig(Set.of(n(1)), Set.of(n(1))))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] valid = ClusterConfig.ofVoters(List.of(n(1), n(2))).encode();
        assertThatThrownBy(() -> ClusterConfig.decode(java.util.Arrays.copyOf(valid, valid.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterConfig.decode(java.util.Arrays.copyOf(valid, valid.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterConfig.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterConfig.decode(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesTravelWithTheConfigurationAndOldEntriesStillDecode() {
        ClusterConfig withAddresses = new ClusterConfig(Set.of(n(1), n(2)), Set.of(n(3)),
                Map.of(n(1), "10.0.0.1:7000", n(3), "host-3.example:7000"));
        byte[] encoded = withAddresses.encode();
        assertThat(encoded).hasSize(withAddresses.encodedSize());
        ClusterConfig decoded = ClusterConfig.decode(encoded);
        assertThat(decoded).isEqualTo(withAddresses);
        assertThat(decoded.addressOf(n(3))).isEqualTo("host-3.example:7000");
        assertThat(decoded.addressOf(n(2))).isNull();

        // Entries written before addresses existed: the original layout, voter count first.
        byte[] original = {0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 'n', '1', 0, 2, 'n', '2', 0, 2, 'n', '3'};
        assertThat(ClusterConfig.decode(original)).isEqualTo(new ClusterConfig(Set.of(n(1), n(2)), Set.of(n(3))));
        assertThat(new ClusterConfig(Set.of(n(1), n(2)), Set.of(n(3))).encode()).isEqualTo(original);
    }

    @Test
    void addressesMustBelongToMembersAndBeShort() {
        assertThatThrownBy(() -> new ClusterConfig(Set.of(n(1)), Set.of(), Map.of(n(2), "h:1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no member");
        assertThatThrownBy(() -> new ClusterConfig(Set.of(n(1)), Set.of(), Map.of(n(1), "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterConfig(Set.of(n(1)), Set.of(), Map.of(n(1), "h".repeat(256))))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] valid = new ClusterConfig(Set.of(n(1)), Set.of(), Map.of(n(1), "h:1")).encode();
        assertThatThrownBy(() -> ClusterConfig.decode(java.util.Arrays.copyOf(valid, valid.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] twice = {0, 0, 0, 2, 0, 0, 0, 0, 0, 2, 'n', '1', 0, 2, 'n', '1'};
        assertThatThrownBy(() -> ClusterConfig.decode(twice)).hasMessageContaining("twice");
    }

    @Test
    void changesKeepAndDropAddresses() {
        ClusterConfig start = ClusterConfig.ofVoters(Map.of(n(1), "h1:1", n(2), "h2:1"));
        ClusterConfig added = new ConfigChange.AddLearner(n(3), "h3:1").applyTo(start);
        assertThat(added.learners()).containsExactly(n(3));
        assertThat(added.addressOf(n(3))).isEqualTo("h3:1");
        assertThat(new ConfigChange.AddLearner(n(3), "elsewhere:1").applyTo(added)).isSameAs(added);
        ClusterConfig promoted = new ConfigChange.PromoteLearner(n(3)).applyTo(added);
        assertThat(promoted.voters()).contains(n(3));
        assertThat(promoted.addresses()).isEqualTo(added.addresses());
        ClusterConfig removed = new ConfigChange.RemoveServer(n(1)).applyTo(promoted);
        assertThat(removed.addresses()).containsOnlyKeys(n(2), n(3));
    }
}
