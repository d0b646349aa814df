package io.raftkv.kv;

/**
 * Applies one decoded proposal to a {@link KvState}: advances leader time, enforces the session
 * rules of thesis §6.3, and runs the command. A pure function of (state, index, proposal), which
 * is what makes the state machine deterministic and the rules testable without threads.
 *
 * <h2>Session rules</h2>
 * <ul>
 *   <li>No session (id 0): execute; a retry executes again.</li>
 *   <li>OPEN: create the session, or refresh it if live (so a retried open is harmless). A full
 *       table answers {@link KvErrors#TOO_MANY_SESSIONS}.</li>
 *   <li>CLOSE: forget the session and its cached results.</li>
 *   <li>Unknown or expired session: {@link KvErrors#noSession}, not executed. The client cannot
 *       tell whether an earlier copy was applied, so a server reports an unknown outcome unless
 *       this was the command's first attempt.</li>
 *   <li>Sequence below the session's first outstanding one: {@link KvErrors#staleSequence}, not
 *       executed (its result was acknowledged and dropped; executing it would apply it twice).</li>
 *   <li>Sequence with a cached result: return that result, do not execute again.</li>
 *   <li>Otherwise execute, cache the result, and drop results the client acknowledged.</li>
 * </ul>
 */
final class ProposalApplier {

    /** The state after a command and the encoded result to hand to the proposer. */
    record Transition(KvState state, byte[] result) {
    }

    private ProposalApplier() {
    }

    static Transition apply(KvState state, long index, KvProposal proposal) {
        long now = Math.max(state.nowMs(), proposal.leaderTimeMs());
        SessionTable sessions = state.sessions().sweepIfDue(now);
        KvCommand command = proposal.command();
        long sessionId = proposal.sessionId();
        if (sessionId == 0) {
            CommandExecutor.Outcome outcome = CommandExecutor.execute(state.data(), command);
            return new Transition(new KvState(outcome.data(), sessions, now, index),
                    KvResultCodec.encode(outcome.result()));
        }
        if (command instanceof KvCommand.OpenSession) {
            return openSession(state, sessions, now, index, sessionId);
        }
        if (command instanceof KvCommand.CloseSession) {
            return result(state, sessions.remove(sessionId), now, index, KvResult.OK);
        }
        ClientSession session = sessions.live(sessionId, now);
        if (session == null) {
            return result(state, sessions, now, index, new KvResult.ErrorReply(KvErrors.noSession(sessionId)));
        }
        long sequence = proposal.sequence();
        if (sequence < session.firstOutstandingSequence) {
            KvResult stale = new KvResult.ErrorReply(
                    KvErrors.staleSequence(sessionId, sequence, session.firstOutstandingSequence));
            return result(state, sessions.put(session.acknowledged(0, now)), now, index, stale);
        }
        byte[] cached = session.cachedResult(sequence);
        if (cached != null) {
            SessionTable touched = sessions.put(session.acknowledged(proposal.firstOutstandingSequence(), now));
            return new Transition(new KvState(state.data(), touched, now, index), cached.clone());
        }
        CommandExecutor.Outcome outcome = CommandExecutor.execute(state.data(), command);
        byte[] encoded = KvResultCodec.encode(outcome.result());
        ClientSession updated = session.withResult(sequence, proposal.firstOutstandingSequence(), encoded, now);
        return new Transition(new KvState(outcome.data(), sessions.put(updated), now, index), encoded.clone());
    }

    private static Transition openSession(KvState state, SessionTable sessions, long now, long index, long id) {
        ClientSession existing = sessions.live(id, now);
        if (existing != null) {
            return result(state, sessions.put(existing.acknowledged(0, now)), now, index, KvResult.OK);
        }
        SessionTable swept = sessions.size() >= KvLimits.SESSIONS_MAX ? sessions.sweep(now) : sessions;
        if (swept.size() >= KvLimits.SESSIONS_MAX) {
            return result(state, swept, now, index, new KvResult.ErrorReply(KvErrors.TOO_MANY_SESSIONS));
        }
        return result(state, swept.put(ClientSession.opened(id, now)), now, index, KvResult.OK);
    }

    private static Transition result(KvState state, SessionTable sessions, long now, long index, KvResult result) {
        return new Transition(new KvState(state.data(), sessions, now, index), KvResultCodec.encode(result));
    }
}
