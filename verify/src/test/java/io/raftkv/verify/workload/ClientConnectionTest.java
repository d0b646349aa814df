package io.raftkv.verify.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.client.RespClient.ErrorReply;
import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import org.junit.jupiter.api.Test;

/** How replies become outcomes: only the documented "certainly not applied" errors are failures. */
class ClientConnectionTest {
    private static final Request SET = new Request(Workload.REGISTER, Fn.WRITE, "r/0", "p1-1");
    private static final Request GET = new Request(Workload.REGISTER, Fn.READ, "r/0", null);
    private static final Request INCR = new Request(Workload.COUNTER, Fn.INCR, "c/0", null);
    private static final Request APPEND = new Request(Workload.APPEND, Fn.APPEND, "l/0", "p1-2 ");

    @Test
    void documentedNotAppliedErrorsFailAWrite() {
        for (String error : new String[] {"NOTLEADER leader=n2", "TRYAGAIN no leader", "BUSY queue full"}) {
            assertThat(ClientConnection.classify(SET, new ErrorReply(error)).outcome()).isEqualTo(Outcome.FAIL);
        }
    }

    @Test
    void unknownAndUndocumentedErrorsLeaveAWriteUnknown() {
        assertThat(ClientConnection.classify(SET, new ErrorReply("UNKNOWN timed out")).outcome())
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(ClientConnection.classify(APPEND, new ErrorReply("ERR something odd")).outcome())
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void anyErrorFailsARead() {
        assertThat(ClientConnection.classify(GET, new ErrorReply("UNKNOWN whatever")).outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void successfulRepliesCarryTheirResults() {
        assertThat(ClientConnection.classify(GET, "p1-1")).isEqualTo(new ClientConnection.Answer(Outcome.OK, "p1-1", null));
        assertThat(ClientConnection.classify(GET, null)).isEqualTo(new ClientConnection.Answer(Outcome.OK, null, null));
        assertThat(ClientConnection.classify(SET, "OK").outcome()).isEqualTo(Outcome.OK);
        assertThat(ClientConnection.classify(INCR, 42L)).isEqualTo(new ClientConnection.Answer(Outcome.OK, "42", null));
        assertThat(ClientConnection.classify(APPEND, 12L).outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void aReplyOfTheWrongTypeLeavesAWriteUnknown() {
        ClientConnection.Answer answer = ClientConnection.classify(INCR, "not a number");
        assertThat(answer.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(answer.error()).contains("unexpected reply to INCR");
    }
}
