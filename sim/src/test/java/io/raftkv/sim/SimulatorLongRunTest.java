package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long run, outside the default suite (it takes minutes): many seeds with faults, snapshots and,
 * in half of them, membership changes and leadership transfers; prints what was covered. Run with
 * <pre>
 * mvn -B -o -q -pl sim -am test -Dtest=SimulatorLongRunTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Draftkv.sim.seeds=2000 [-Draftkv.sim.nodes=5] [-Draftkv.sim.events=20000] [-Draftkv.sim.membership=SOME_SEEDS]
 * </pre>
 */
@EnabledIfSystemProperty(named = "raftkv.sim.seeds", matches = "\\d+")
class SimulatorLongRunTest {

    @Test
    void manySeeds() throws InterruptedException {
        int seeds = Integer.getInteger("raftkv.sim.seeds");
        int nodes = Integer.getInteger("raftkv.sim.nodes", 5);
        int events = Integer.getInteger("raftkv.sim.events", 20_000);
        long firstSeed = Long.getLong("raftkv.sim.firstSeed", 1);
        SimConfig.Membership membership = SimConfig.Membership.valueOf(
                System.getProperty("raftkv.sim.membership", SimConfig.Membership.SOME_SEEDS.name()));
        int threads = Integer.getInteger("raftkv.sim.threads", Runtime.getRuntime().availableProcessors());
        SimConfig template = SimConfig.defaults(firstSeed, nodes).withEvents(events).withMembership(membership);
        System.out.printf("raftkv sim: %d seeds from %d, %d nodes, %d events per seed, membership %s, %d threads%n",
                seeds, firstSeed, nodes, events, membership, threads);

        SimRunner.Summary summary = new SimRunner(template, CoreFactory.STANDARD, threads)
                .run(firstSeed, seeds, 5, System.out);

        System.out.printf("covered: %d faults, %d snapshots taken, %d installed from a leader, %d torn writes,"
                        + " %d lease reads%n", summary.faults(), summary.snapshotsTaken(), summary.snapshotsInstalled(),
                summary.tornWrites(), summary.leaseReads());
        System.out.println("membership: " + summary.membership());
        System.out.printf("seeds=%d events=%d violations=%d elapsed=%.1fs events/s=%.0f%n", summary.seeds(),
                summary.events(), summary.failures(), summary.wallNanos() / 1e9, summary.eventsPerSecond());
        assertThat(summary.failures()).isZero();
    }
}
