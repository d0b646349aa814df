package io.raftkv.verify.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration a leader reports in {@code INFO raft}: who leads, in which term, and who the
 * voters and the learners are. Thesis §4.1: a server uses the latest configuration in its log, so
 * the leader's view is the one that decides what the cluster needs for a quorum.
 *
 * @param leader   the id of the node that reported it, which was leading
 * @param term     its term
 * @param voters   the voters, sorted
 * @param learners the learners (non-voting members catching up, thesis §4.2.1), sorted
 */
public record Membership(String leader, long term, List<String> voters, List<String> learners) {
    /** Copies the lists. */
    public Membership {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
    }

    /** Read from a leader's {@code INFO raft} fields. */
    static Membership fromInfo(Map<String, String> info) {
        return new Membership(info.getOrDefault("raft_node_id", ""), Long.parseLong(info.getOrDefault("raft_term", "0")),
                idsOf(info.get("raft_voters")), idsOf(info.get("raft_learners")));
    }

    /** {@code n1,n2} → sorted ids; blank → none. */
    public static List<String> idsOf(String text) {
        List<String> ids = new ArrayList<>();
        if (text != null) {
            for (String id : text.split(",")) {
                if (!id.isBlank()) {
                    ids.add(id.trim());
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public String toString() {
        return "voters " + String.join(",", voters) + (learners.isEmpty() ? "" : " learners " + String.join(",", learners))
                + ", leader " + leader + " (term " + term + ")";
    }
}
