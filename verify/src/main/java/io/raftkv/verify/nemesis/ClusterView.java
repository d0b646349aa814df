package io.raftkv.verify.nemesis;

import java.util.List;
import java.util.Set;

/**
 * What the membership nemesis decides from: the configuration the leader reports, the spare
 * identities, and the nodes other faults have taken away.
 *
 * @param leader      the current leader
 * @param voters      the voters in the leader's configuration
 * @param learners    its learners
 * @param spares      spare identities: not running, no data
 * @param unavailable nodes claimed by running faults or not running
 */
public record ClusterView(String leader, List<String> voters, List<String> learners, List<String> spares,
                          Set<String> unavailable) {
    /** Copies the collections. */
    public ClusterView {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
        spares = List.copyOf(spares);
        unavailable = Set.copyOf(unavailable);
    }

    /** Voters that no fault holds, the leader first if it is one of them. */
    List<String> availableVoters() {
        return voters.stream().filter(v -> !unavailable.contains(v))
                .sorted((a, b) -> Boolean.compare(!a.equals(leader), !b.equals(leader))).toList();
    }
}
