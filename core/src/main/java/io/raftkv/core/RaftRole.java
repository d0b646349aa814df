package io.raftkv.core;

/**
 * The role a server plays in its current term (paper §5.1, Figure 4; thesis §9.6 for the
 * pre-candidate, thesis §4.2.1 for the learner). Role is separate from the lifecycle of the
 * process that hosts the core. Never rely on the declaration order.
 *
 * <pre>
 *  FOLLOWER ──election timeout──▶ PRE_CANDIDATE ──pre-vote quorum──▶ CANDIDATE ──vote quorum──▶ LEADER
 *     ▲  ▲                             │ (pre-vote disabled: straight to CANDIDATE)   │
 *     │  └──────── higher term / current leader heard / lost pre-vote ◀──────────────┘
 *     └─────────────────────────────── higher term, check-quorum failure ─────────────┘
 * </pre>
 */
public enum RaftRole {
    /** Passive: answers leaders and candidates; campaigns after an election timeout. */
    FOLLOWER,
    /** Asking whether it could win an election, without bumping its term (thesis §9.6). */
    PRE_CANDIDATE,
    /** Campaigning in {@code currentTerm} with its own vote (paper §5.2). */
    CANDIDATE,
    /** Accepts proposals and replicates the log (paper §5.3). */
    LEADER,
    /**
     * A learner, which receives the log but never campaigns and counts for no quorum (thesis
     * §4.2.1), or a server outside the configuration (not yet added, or removed), which waits.
     */
    LEARNER
}
