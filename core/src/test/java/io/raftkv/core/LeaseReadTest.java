package io.raftkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.harness.TestCluster;
import org.junit.jupiter.api.Test;

/**
 * Lease reads (thesis §6.4.1, R-READ-2): a leader serves reads without a round trip while a quorum
 * acknowledged a heartbeat within the last election timeout, less the clock-drift margin.
 */
class LeaseReadTest {

    @Test
    void aLeaderInContactWithAQuorumHoldsALease() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").leaseReads(true).seed(3).build();
        String leader = cluster.awaitLeader(200);
        cluster.runTicks(5); // heartbeats go out and are acknowledged

        long index = cluster.core(leader).leaseReadIndex();

        assertThat(index).isEqualTo(cluster.core(leader).log().commitIndex()).isPositive();
    }

    @Test
    void followersHaveNoLease() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").leaseReads(true).seed(4).build();
        String leader = cluster.awaitLeader(200);
        cluster.runTicks(5);

        for (String id : cluster.ids()) {
            if (!id.equals(leader)) {
                assertThat(cluster.core(id).leaseReadIndex()).isEqualTo(-1);
            }
        }
    }

    /**
     * The lease ends no later than the election timeout minus the drift margin after the last
     * acknowledged round was sent, i.e. before any follower could vote for another leader.
     */
    @Test
    void anIsolatedLeaderLosesItsLeaseBeforeAnotherLeaderCanBeElected() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").leaseReads(true).seed(5).build();
        String leader = cluster.awaitLeader(200);
        cluster.runTicks(5);
        RaftConfig config = cluster.core(leader).config();
        cluster.isolate(leader);

        int held = 0;
        while (cluster.core(leader).leaseReadIndex() >= 0) {
            cluster.runTicks(1);
            held++;
            assertThat(held).as("lease ticks after isolation").isLessThanOrEqualTo(config.electionTicks());
        }

        assertThat(held).isLessThanOrEqualTo(config.electionTicks() - config.leaseDriftMarginTicks());
        // No other node may have become leader while the isolated one still held its lease.
        assertThat(cluster.leaders()).containsOnly(leader);
    }

    @Test
    void withoutTheOptionThereIsNoLease() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").seed(6).build();
        String leader = cluster.awaitLeader(200);
        cluster.runTicks(5);

        assertThat(cluster.core(leader).leaseReadIndex()).isEqualTo(-1);
    }
}
