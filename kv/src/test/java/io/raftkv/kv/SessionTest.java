package io.raftkv.kv;

import static io.raftkv.kv.KvHarness.incr;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Client sessions: exactly-once application (thesis §6.3, R-CLIENT-3) and expiry by leader time. */
class SessionTest {

    private static final long SESSION = 0x1234_5678_0000_0001L;
    private final KvHarness kv = new KvHarness();

    private static String code(KvResult result) {
        assertThat(result).isInstanceOf(KvResult.ErrorReply.class);
        return ((KvResult.ErrorReply) result).code();
    }

    @Test
    void retriedSequenceReturnsTheCachedResultWithoutApplyingAgain() {
        assertThat(kv.open(SESSION)).isEqualTo(KvResult.OK);
        assertThat(kv.inSession(SESSION, 1, 1, incr("n"))).isEqualTo(KvResult.of(1));
        assertThat(kv.inSession(SESSION, 1, 1, incr("n"))).isEqualTo(KvResult.of(1));
        assertThat(kv.inSession(SESSION, 2, 1, incr("n"))).isEqualTo(KvResult.of(2));
        assertThat(kv.inSession(SESSION, 1, 1, incr("n"))).isEqualTo(KvResult.of(1));
        assertThat(kv.get("n")).isEqualTo("2");
    }

    @Test
    void pipelinedRetriesOutOfOrderAreStillDeduplicated() {
        kv.open(SESSION);
        kv.inSession(SESSION, 1, 1, incr("n"));
        kv.inSession(SESSION, 3, 1, incr("n"));
        assertThat(kv.inSession(SESSION, 2, 1, incr("n"))).isEqualTo(KvResult.of(3));
        assertThat(kv.inSession(SESSION, 3, 1, incr("n"))).isEqualTo(KvResult.of(2));
        assertThat(kv.get("n")).isEqualTo("3");
    }

    @Test
    void sequenceBelowTheAcknowledgedOneIsAnErrorAndNotApplied() {
        kv.open(SESSION);
        kv.inSession(SESSION, 1, 1, incr("n"));
        kv.inSession(SESSION, 2, 2, incr("n"));
        assertThat(code(kv.inSession(SESSION, 1, 1, incr("n")))).isEqualTo(KvErrors.STALE_SEQUENCE_CODE);
        assertThat(kv.get("n")).isEqualTo("2");
    }

    @Test
    void errorsAreCachedLikeAnyResult() {
        kv.open(SESSION);
        kv.apply(KvHarness.set("n", "text"));
        KvResult first = kv.inSession(SESSION, 1, 1, incr("n"));
        kv.apply(KvHarness.set("n", "5"));
        assertThat(kv.inSession(SESSION, 1, 1, incr("n"))).isEqualTo(first);
        assertThat(kv.get("n")).isEqualTo("5");
    }

    @Test
    void unknownSessionIsRejectedWithoutApplying() {
        assertThat(code(kv.inSession(SESSION, 1, 1, incr("n")))).isEqualTo(KvErrors.NO_SESSION_CODE);
        assertThat(kv.get("n")).isNull();
    }

    @Test
    void sessionsExpireByLeaderTimeOnly() {
        kv.open(SESSION);
        kv.inSession(SESSION, 1, 1, incr("n"));
        kv.timeMs += KvLimits.SESSION_TIMEOUT_MS;
        assertThat(kv.inSession(SESSION, 2, 1, incr("n"))).isEqualTo(KvResult.of(2));
        kv.timeMs += KvLimits.SESSION_TIMEOUT_MS + 1;
        assertThat(code(kv.inSession(SESSION, 1, 1, incr("n")))).isEqualTo(KvErrors.NO_SESSION_CODE);
        assertThat(kv.get("n")).isEqualTo("2");
    }

    @Test
    void otherClientsCommandsAdvanceTimeAndTheSweepReclaimsSessions() {
        kv.open(SESSION);
        assertThat(kv.stateMachine.sessionCount()).isEqualTo(1);
        kv.timeMs += KvLimits.SESSION_TIMEOUT_MS + KvLimits.SESSION_SWEEP_INTERVAL_MS + 1;
        kv.apply(KvHarness.set("other", "client"));
        assertThat(kv.stateMachine.sessionCount()).isZero();
    }

    @Test
    void aStaleTimestampNeverMovesTimeBackwards() {
        kv.open(SESSION);
        long opened = kv.timeMs;
        kv.timeMs = opened + KvLimits.SESSION_TIMEOUT_MS + 1;
        kv.apply(KvHarness.set("x", "1"));
        // A proposal stamped by a node with a slow clock does not resurrect the session.
        kv.timeMs = opened;
        assertThat(code(kv.inSession(SESSION, 1, 1, incr("n")))).isEqualTo(KvErrors.NO_SESSION_CODE);
    }

    @Test
    void reopeningALiveSessionKeepsItsResults() {
        kv.open(SESSION);
        kv.inSession(SESSION, 1, 1, incr("n"));
        assertThat(kv.open(SESSION)).isEqualTo(KvResult.OK);
        assertThat(kv.inSession(SESSION, 1, 1, incr("n"))).isEqualTo(KvResult.of(1));
    }

    @Test
    void closingASessionForgetsIt() {
        kv.open(SESSION);
        kv.inSession(SESSION, 1, 1, incr("n"));
        assertThat(kv.apply(KvProposal.sessionControl(SESSION, kv.timeMs, new KvCommand.CloseSession())))
                .isEqualTo(KvResult.OK);
        assertThat(code(kv.inSession(SESSION, 1, 1, incr("n")))).isEqualTo(KvErrors.NO_SESSION_CODE);
        assertThat(kv.stateMachine.sessionCount()).isZero();
    }

    @Test
    void cachedResultsAreBoundedAndDroppedOnesCountAsAcknowledged() {
        kv.open(SESSION);
        int count = KvLimits.SESSION_CACHED_RESULTS_MAX + 1;
        for (int sequence = 1; sequence <= count; sequence++) {
            kv.inSession(SESSION, sequence, 1, incr("n"));
        }
        assertThat(code(kv.inSession(SESSION, 1, 1, incr("n")))).isEqualTo(KvErrors.STALE_SEQUENCE_CODE);
        assertThat(kv.inSession(SESSION, 2, 1, incr("n"))).isEqualTo(KvResult.of(2));
        assertThat(kv.get("n")).isEqualTo(Integer.toString(count));
    }

    @Test
    void theSessionTableIsBounded() {
        for (long id = 1; id <= KvLimits.SESSIONS_MAX; id++) {
            kv.open(id);
        }
        assertThat(kv.open(KvLimits.SESSIONS_MAX + 1L)).isEqualTo(new KvResult.ErrorReply(KvErrors.TOO_MANY_SESSIONS));
        kv.timeMs += KvLimits.SESSION_TIMEOUT_MS + 1;
        assertThat(kv.open(KvLimits.SESSIONS_MAX + 1L)).isEqualTo(KvResult.OK);
        assertThat(kv.stateMachine.sessionCount()).isEqualTo(1);
    }

    @Test
    void theDedupTableSurvivesSnapshotAndRestore() throws Exception {
        kv.open(SESSION);
        kv.inSession(SESSION, 1, 1, incr("n"));
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        kv.stateMachine.snapshot().writeTo(snapshot);

        KvHarness restored = new KvHarness();
        restored.stateMachine.restore(new ByteArrayInputStream(snapshot.toByteArray()));
        restored.timeMs = kv.timeMs;
        assertThat(restored.inSession(SESSION, 1, 1, incr("n"))).isEqualTo(KvResult.of(1));
        assertThat(restored.get("n")).isEqualTo("1");
        assertThat(restored.inSession(SESSION, 2, 2, incr("n"))).isEqualTo(KvResult.of(2));
        assertThat(code(restored.inSession(SESSION, 1, 1, incr("n")))).isEqualTo(KvErrors.STALE_SEQUENCE_CODE);
    }
}
