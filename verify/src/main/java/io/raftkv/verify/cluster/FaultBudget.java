package io.raftkv.verify.cluster;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes the nemeses are taking away right now (killed, paused, cut off, being removed or
 * replaced), so that faults running at the same time never take a majority of the voters
 * together. Raft makes progress only while a majority of the voters in the configuration in force
 * can talk (paper §5.2, thesis §4.1); a run that lost its quorum would test nothing but waiting.
 *
 * <p>A nemesis claims its nodes before it acts and releases them once healed. A claim on voters
 * succeeds only while a majority of the voters stays unclaimed. Removing an unclaimed voter is
 * only done with that voter claimed first, so the majority holds for the smaller configuration too:
 * with {@code c + 1 <= (n - 1) / 2} claimed before, {@code c <= (n - 2) / 2} holds after.
 */
public final class FaultBudget {
    /** Claimed node → the nemesis that claimed it. */
    private final Map<String, String> claims = new LinkedHashMap<>();

    /**
     * How many more voters may be taken while a majority of {@code voters} stays: a minority,
     * {@code (n - 1) / 2}, less those already unavailable.
     */
    public static int room(Collection<String> voters, Set<String> unavailable) {
        long taken = voters.stream().filter(unavailable::contains).count();
        return (int) Math.max(0, (voters.size() - 1) / 2 - taken);
    }

    /**
     * Claims {@code nodes} for {@code owner} if the voters among them, with the claims in place and
     * the nodes in {@code down} (not running), leave a majority of {@code voters}.
     *
     * @return whether it claimed them; nothing is claimed otherwise
     */
    public synchronized boolean tryClaim(String owner, Set<String> nodes, Collection<String> voters, Set<String> down) {
        Set<String> unavailable = new HashSet<>(claims.keySet());
        unavailable.addAll(down);
        long fresh = nodes.stream().filter(voters::contains).filter(n -> !unavailable.contains(n)).count();
        if (nodes.stream().anyMatch(claims::containsKey) || fresh > room(voters, unavailable)) {
            return false;
        }
        nodes.forEach(node -> claims.put(node, owner));
        return true;
    }

    /** Releases {@code nodes}. */
    public synchronized void release(Set<String> nodes) {
        nodes.forEach(claims::remove);
    }

    /** The nodes claimed now. */
    public synchronized Set<String> claimed() {
        return Set.copyOf(claims.keySet());
    }
}
