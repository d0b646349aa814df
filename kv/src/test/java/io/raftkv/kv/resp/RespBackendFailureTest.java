package io.raftkv.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.kv.KvBackendException;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvLimits;
import io.raftkv.kv.KvProposal;
import io.raftkv.kv.ReadMode;
import io.raftkv.kv.resp.DirectApplyBackend.Fault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * What a client sees when the node fails a command (R-CLIENT-1..3, R-OPS-5): each typed failure
 * gives its documented reply, retries happen in the same session so a write applies at most once,
 * and an unknown outcome is never reported as "not applied".
 */
class RespBackendFailureTest {

    private static RespFixture withoutRetries() throws InterruptedException {
        return RespFixture.start(builder -> builder.writeRetriesMax(0));
    }

    private static RespFixture withRetries() throws InterruptedException {
        return RespFixture.start(builder -> builder.writeRetriesMax(3).writeRetryBackoff(Duration.ofMillis(1)));
    }

    @Test
    void eachWriteFailureHasItsDocumentedReply() throws Exception {
        try (RespFixture fixture = withoutRetries(); Jedis jedis = fixture.jedis()) {
            jedis.set("warm", "up");
            DirectApplyBackend backend = fixture.backend;
            backend.scriptWriteFaults(1, Fault.FAIL_BEFORE_APPLY, new KvBackendException.NotLeader("2", "10.0.0.2:6379"));
            assertThatThrownBy(() -> jedis.set("k", "v"))
                    .hasMessageStartingWith("NOTLEADER leader=2 addr=10.0.0.2:6379 ").hasMessageContaining("not applied");
            backend.scriptWriteFaults(1, Fault.FAIL_BEFORE_APPLY, new KvBackendException.NotLeader("3", null));
            assertThatThrownBy(() -> jedis.set("k", "v")).hasMessageStartingWith("NOTLEADER leader=3 the command");
            backend.scriptWriteFaults(1, Fault.FAIL_BEFORE_APPLY, new KvBackendException.NoLeader("election in progress"));
            assertThatThrownBy(() -> jedis.set("k", "v"))
                    .hasMessageStartingWith("TRYAGAIN no leader: election in progress").hasMessageContaining("not applied");
            backend.scriptWriteFaults(1, Fault.FAIL_BEFORE_APPLY, new KvBackendException.Busy("proposal queue full"));
            assertThatThrownBy(() -> jedis.set("k", "v"))
                    .hasMessageStartingWith("BUSY proposal queue full").hasMessageContaining("not applied");
            backend.scriptWriteFaults(1, Fault.APPLY_THEN_FAIL, new KvBackendException.UnknownOutcome("leader changed"));
            assertThatThrownBy(() -> jedis.set("k", "v"))
                    .hasMessageStartingWith("UNKNOWN leader changed").hasMessageContaining("may or may not");
            backend.scriptWriteFaults(1, Fault.FAIL_BEFORE_APPLY, new KvBackendException.Stopped("shutting down"));
            assertThatThrownBy(() -> jedis.set("k", "v")).hasMessageStartingWith("ERR node stopped: shutting down");
            assertThat(jedis.get("k")).isEqualTo("v");
        }
    }

    @Test
    void eachReadFailureHasItsDocumentedReply() throws Exception {
        try (RespFixture fixture = withoutRetries(); Jedis jedis = fixture.jedis()) {
            DirectApplyBackend backend = fixture.backend;
            backend.scriptReadFault(new KvBackendException.NotLeader("2", "10.0.0.2:6379"));
            assertThatThrownBy(() -> jedis.get("k")).hasMessageStartingWith("NOTLEADER leader=2 addr=10.0.0.2:6379");
            backend.scriptReadFault(new KvBackendException.NoLeader("election"));
            assertThatThrownBy(() -> jedis.get("k")).hasMessageStartingWith("TRYAGAIN");
            backend.scriptReadFault(new KvBackendException.UnknownOutcome("leadership lost"));
            assertThatThrownBy(() -> jedis.get("k")).hasMessageStartingWith("TRYAGAIN read could not be confirmed");
            backend.scriptReadFault(new KvBackendException.Busy("too many reads"));
            assertThatThrownBy(() -> jedis.mget("a", "b")).hasMessageStartingWith("BUSY too many reads");
            backend.scriptReadFault(new KvBackendException.Stopped("halted"));
            assertThatThrownBy(() -> jedis.dbSize()).hasMessageStartingWith("ERR node stopped: halted");
            assertThat(jedis.get("k")).isNull();
        }
    }

    @Test
    void aRetryAfterAnUnknownOutcomeIsAppliedOnce() throws Exception {
        try (RespFixture fixture = withRetries(); Jedis jedis = fixture.jedis()) {
            jedis.set("warm", "up");
            fixture.backend.scriptWriteFaults(2, Fault.APPLY_THEN_FAIL, new KvBackendException.UnknownOutcome("timeout"));
            assertThat(jedis.incr("counter")).isEqualTo(1);
            assertThat(jedis.get("counter")).isEqualTo("1");
            List<KvProposal> increments = fixture.backend.proposals().stream()
                    .filter(proposal -> proposal.command() instanceof KvCommand.IncrementBy).toList();
            assertThat(increments).hasSize(3);
            assertThat(increments).extracting(KvProposal::sequence).containsOnly(increments.get(0).sequence());
            assertThat(increments).extracting(KvProposal::sessionId).containsOnly(increments.get(0).sessionId());
        }
    }

    @Test
    void aRetryAfterNotLeaderSucceedsTransparently() throws Exception {
        try (RespFixture fixture = withRetries(); Jedis jedis = fixture.jedis()) {
            jedis.set("warm", "up");
            fixture.backend.scriptWriteFaults(2, Fault.FAIL_BEFORE_APPLY, new KvBackendException.NoLeader("election"));
            assertThat(jedis.incr("counter")).isEqualTo(1);
        }
    }

    @Test
    void anUnknownOutcomeIsNeverDowngradedToNotApplied() throws Exception {
        try (RespFixture fixture = RespFixture.start(builder -> builder.writeRetriesMax(1)
                .writeRetryBackoff(Duration.ofMillis(1))); Jedis jedis = fixture.jedis()) {
            jedis.set("warm", "up");
            fixture.backend.scriptWriteFaults(1, Fault.APPLY_THEN_FAIL, new KvBackendException.UnknownOutcome("timeout"));
            fixture.backend.scriptWriteFaults(1, Fault.FAIL_BEFORE_APPLY, new KvBackendException.NotLeader("2", null));
            assertThatThrownBy(() -> jedis.incr("counter")).hasMessageStartingWith("UNKNOWN")
                    .hasMessageContaining("earlier attempt");
            assertThat(jedis.get("counter")).isEqualTo("1");
        }
    }

    @Test
    void busyIsNotRetried() throws Exception {
        try (RespFixture fixture = withRetries(); Jedis jedis = fixture.jedis()) {
            jedis.set("warm", "up");
            int before = fixture.backend.proposals().size();
            fixture.backend.scriptWriteFaults(1, Fault.FAIL_BEFORE_APPLY, new KvBackendException.Busy("full"));
            assertThatThrownBy(() -> jedis.set("k", "v")).hasMessageStartingWith("BUSY");
            assertThat(fixture.backend.proposals()).hasSize(before + 1);
        }
    }

    @Test
    void aWriteThatNeverCompletesTimesOutAsUnknown() throws Exception {
        try (RespFixture fixture = RespFixture.start(builder -> builder.writeRetriesMax(0)
                .commandTimeout(Duration.ofMillis(300))); Jedis jedis = fixture.jedis()) {
            jedis.set("warm", "up");
            fixture.backend.scriptWriteFaults(1, Fault.HANG, null);
            assertThatThrownBy(() -> jedis.set("k", "v")).hasMessageStartingWith("UNKNOWN timed out after 300 ms");
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
        }
    }

    @Test
    void aReadThatNeverCompletesTimesOut() throws Exception {
        try (RespFixture fixture = RespFixture.start(builder -> builder.commandTimeout(Duration.ofMillis(300)));
             Jedis jedis = fixture.jedis()) {
            fixture.backend.holdReads();
            assertThatThrownBy(() -> jedis.get("k")).hasMessageStartingWith("TRYAGAIN read timed out");
            fixture.backend.releaseReads();
            assertThat(jedis.get("k")).isNull();
            assertThat(fixture.backend.barrierCount(ReadMode.LINEARIZABLE)).isEqualTo(2);
        }
    }

    @Test
    void openingASessionThatFailsFailsTheWritesBehindItAsNotApplied() throws Exception {
        try (RespFixture fixture = withoutRetries(); Jedis jedis = fixture.jedis()) {
            fixture.backend.scriptWriteFaults(1, Fault.APPLY_THEN_FAIL, new KvBackendException.UnknownOutcome("timeout"));
            assertThatThrownBy(() -> jedis.set("k", "v")).hasMessageStartingWith("TRYAGAIN no leader: could not open");
            assertThat(jedis.get("k")).isNull();
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
        }
    }

    @Test
    void anExpiredSessionIsReplacedTransparently() throws Exception {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        try (RespFixture fixture = RespFixture.start(builder -> builder.clock(clock)); Jedis idle = fixture.jedis();
             Jedis busy = fixture.jedis()) {
            assertThat(idle.incr("n")).isEqualTo(1);
            clock.advance(KvLimits.SESSION_TIMEOUT_MS + 1);
            busy.set("time", "moves on");
            assertThat(idle.incr("n")).isEqualTo(2);
            long opens = fixture.backend.proposals().stream()
                    .filter(proposal -> proposal.command() instanceof KvCommand.OpenSession).count();
            assertThat(opens).isEqualTo(3);
        }
    }

    @Test
    void pipelinedWritesOfAnExpiredSessionAreReproposedInOrder() throws Exception {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        try (RespFixture fixture = RespFixture.start(builder -> builder.clock(clock)); Jedis idle = fixture.jedis();
             Jedis busy = fixture.jedis()) {
            idle.set("k", "");
            clock.advance(KvLimits.SESSION_TIMEOUT_MS + 1);
            busy.set("time", "moves on");
            redis.clients.jedis.Pipeline pipeline = idle.pipelined();
            for (String part : List.of("a", "b", "c", "d", "e")) {
                pipeline.append("k", part);
            }
            assertThat(pipeline.syncAndReturnAll()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(idle.get("k")).isEqualTo("abcde");
        }
    }

    @Test
    void aBackendThatThrowsGivesAnUnknownOutcome() throws Exception {
        try (RespFixture fixture = withoutRetries(); Jedis jedis = fixture.jedis()) {
            jedis.set("warm", "up");
            fixture.backend.scriptWriteFaults(1, Fault.THROW, null);
            assertThatThrownBy(() -> jedis.set("k", "v")).hasMessageStartingWith("UNKNOWN internal error")
                    .hasMessageContaining("scripted backend bug");
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private final AtomicLong millis;

        MutableClock(long startMillis) {
            millis = new AtomicLong(startMillis);
        }

        void advance(long deltaMillis) {
            millis.addAndGet(deltaMillis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
