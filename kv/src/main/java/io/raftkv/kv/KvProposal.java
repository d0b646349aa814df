package io.raftkv.kv;

import java.util.Objects;

/**
 * One entry of the key-value store's Raft log: a {@link KvCommand} with the client session that
 * sent it and the time it was proposed.
 *
 * <h2>Sessions (thesis §6.3, R-CLIENT-3)</h2>
 * A client that wants exactly-once application opens a session ({@link KvCommand.OpenSession}) and
 * numbers its commands 1, 2, 3, ... A retry reuses the number, so the state machine recognises it
 * and returns the cached result instead of applying the command again.
 * {@code firstOutstandingSequence} tells the state machine that the client has received the results
 * of every lower number, so they may be forgotten (LogCabin's {@code first_outstanding_rpc}).
 * {@code sessionId == 0} means no session: the command is applied every time it is committed.
 *
 * <h2>Time</h2>
 * {@code leaderTimeMs} is wall-clock time stamped by the proposer (a backend running on the leader
 * may re-stamp it with {@link #withLeaderTimeMs}). The state machine never reads a clock: its notion
 * of now is the largest stamp applied so far, identical on every replica, and it drives session
 * expiry (LogCabin's {@code ClusterClock}).
 *
 * @param sessionId                the client session, or 0 for none
 * @param sequence                 the command's number within the session (1, 2, ...); 0 without a
 *                                 session and for opening or closing one
 * @param firstOutstandingSequence the lowest number whose result the client has not yet received;
 *                                 1 &lt;= it &lt;= {@code sequence} for a numbered command, else 0
 * @param leaderTimeMs             milliseconds since the epoch when proposed, &gt;= 0
 * @param command                  what to do
 */
public record KvProposal(long sessionId, long sequence, long firstOutstandingSequence, long leaderTimeMs,
                         KvCommand command) {

    public KvProposal {
        Objects.requireNonNull(command, "command");
        if (leaderTimeMs < 0) {
            throw new IllegalArgumentException("leaderTimeMs must be >= 0: " + leaderTimeMs);
        }
        boolean sessionControl = command instanceof KvCommand.OpenSession
                || command instanceof KvCommand.CloseSession;
        if (sessionId == 0 || sessionControl) {
            if (sessionId == 0 && sessionControl) {
                throw new IllegalArgumentException("opening or closing a session needs a session id");
            }
            if (sequence != 0 || firstOutstandingSequence != 0) {
                throw new IllegalArgumentException("sequence numbers only belong to commands in a session");
            }
        } else if (sequence < 1 || firstOutstandingSequence < 1 || firstOutstandingSequence > sequence) {
            throw new IllegalArgumentException("need 1 <= firstOutstandingSequence <= sequence, got "
                    + firstOutstandingSequence + " and " + sequence);
        }
    }

    /** A command outside any session: applied each time it is committed (at least once). */
    public static KvProposal withoutSession(KvCommand command, long leaderTimeMs) {
        return new KvProposal(0, 0, 0, leaderTimeMs, command);
    }

    /** Number {@code sequence} of session {@code sessionId}. */
    public static KvProposal inSession(long sessionId, long sequence, long firstOutstandingSequence,
                                       long leaderTimeMs, KvCommand command) {
        return new KvProposal(sessionId, sequence, firstOutstandingSequence, leaderTimeMs, command);
    }

    /** Opens or closes session {@code sessionId}. */
    public static KvProposal sessionControl(long sessionId, long leaderTimeMs, KvCommand command) {
        return new KvProposal(sessionId, 0, 0, leaderTimeMs, command);
    }

    /** The same proposal stamped with another time. */
    public KvProposal withLeaderTimeMs(long timeMs) {
        return new KvProposal(sessionId, sequence, firstOutstandingSequence, timeMs, command);
    }
}
