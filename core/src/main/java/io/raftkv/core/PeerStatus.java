package io.raftkv.core;

/**
 * What a leader knows about one other member, for status displays and for promoting learners
 * (thesis §4.2.1); from {@link RaftCore#peerStatus()}.
 *
 * <p>Catch-up is measured in rounds, as the thesis describes: a round replicates every entry the
 * leader held when it started; entries that arrive meanwhile belong to the next round. A learner
 * is caught up when the leader heard from it within the election timeout and either it holds the
 * leader's whole log, or its last completed round took less than an election timeout and the
 * current one has not run longer than that. Promoting a learner that is not caught up is refused
 * ({@link ProposeResult.Reason#NOT_CAUGHT_UP}), since the cluster could not commit while the new
 * voter catches up.
 *
 * @param voter           a voter (else a learner) in the configuration in force
 * @param matchIndex      highest index known replicated on it (paper Figure 2)
 * @param state           replication state: probing, pipelining, or receiving a snapshot
 * @param ticksSinceHeard ticks since the leader last heard from it; {@link Long#MAX_VALUE} if never in this term
 * @param roundsCompleted catch-up rounds it completed since this server became leader (or it joined)
 * @param lastRoundTicks  duration of its last completed round in ticks; {@link Long#MAX_VALUE} if none
 * @param caughtUp        caught up as defined above: it may be promoted
 */
public record PeerStatus(boolean voter, long matchIndex, ProgressState state, long ticksSinceHeard,
                         int roundsCompleted, long lastRoundTicks, boolean caughtUp) {}
