package io.raftkv.kv;

import static io.raftkv.kv.KvHarness.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The log entry and result formats: round trips, strictness, versioning; and strict integer parsing. */
class CodecTest {

    private static final List<KvCommand> EVERY_COMMAND = List.of(
            new KvCommand.Set(b("k"), b("v"), KvCommand.SetCondition.IF_ABSENT, true),
            new KvCommand.Set(b(""), b(""), KvCommand.SetCondition.IF_PRESENT, false),
            new KvCommand.Delete(List.of(b("a"), b("b"))),
            new KvCommand.IncrementBy(b("n"), Long.MIN_VALUE),
            new KvCommand.IncrementBy(b("n"), Long.MAX_VALUE),
            new KvCommand.Append(b("k"), b("tail"), 1024),
            new KvCommand.MultiSet(List.of(new KvCommand.KeyValue(b("a"), b("1")), new KvCommand.KeyValue(b("b"), b("2")))),
            new KvCommand.GetSet(b("k"), b("v")),
            new KvCommand.GetDelete(b("k")),
            new KvCommand.CompareAndSet(b("k"), b("old"), b("new")),
            new KvCommand.CompareAndSet(b("k"), null, b("new")),
            new KvCommand.CompareAndSet(b("k"), b("old"), null));

    @Test
    void everyCommandRoundTrips() {
        for (KvCommand command : EVERY_COMMAND) {
            KvProposal proposal = KvProposal.inSession(-3L, 1L << 40, 17, 1_700_000_000_000L, command);
            assertThat(KvProposalCodec.decode(KvProposalCodec.encode(proposal))).isEqualTo(proposal);
            KvProposal plain = KvProposal.withoutSession(command, 0);
            assertThat(KvProposalCodec.decode(KvProposalCodec.encode(plain))).isEqualTo(plain);
        }
        KvProposal open = KvProposal.sessionControl(5, 9, new KvCommand.OpenSession());
        assertThat(KvProposalCodec.decode(KvProposalCodec.encode(open))).isEqualTo(open);
        KvProposal close = KvProposal.sessionControl(5, 9, new KvCommand.CloseSession());
        assertThat(KvProposalCodec.decode(KvProposalCodec.encode(close))).isEqualTo(close);
    }

    @Test
    void entriesAreCompact() {
        KvProposal proposal = KvProposal.inSession(0x1234_5678_9abc_def0L, 42, 40, 1_700_000_000_000L,
                new KvCommand.Set(b("key"), b("value"), KvCommand.SetCondition.ALWAYS, false));
        assertThat(KvProposalCodec.encode(proposal).length).isLessThan(32);
    }

    @Test
    void everyTruncationAndTrailingByteIsRejected() {
        for (KvCommand command : EVERY_COMMAND) {
            byte[] entry = KvProposalCodec.encode(KvProposal.withoutSession(command, 12345));
            for (int length = 0; length < entry.length; length++) {
                byte[] truncated = Arrays.copyOf(entry, length);
                assertThatThrownBy(() -> KvProposalCodec.decode(truncated)).isInstanceOf(KvCodecException.class);
            }
            byte[] longer = Arrays.copyOf(entry, entry.length + 1);
            assertThatThrownBy(() -> KvProposalCodec.decode(longer)).isInstanceOf(KvCodecException.class)
                    .hasMessageContaining("trailing");
        }
    }

    @Test
    void invalidContentIsRejected() {
        byte[] entry = KvProposalCodec.encode(KvProposal.withoutSession(new KvCommand.GetDelete(b("k")), 1));
        byte[] badOpcode = entry.clone();
        badOpcode[1] = 99;
        assertThatThrownBy(() -> KvProposalCodec.decode(badOpcode)).hasMessageContaining("opcode");
        // A sequence number without a session breaks a KvProposal invariant.
        byte[] badSequence = entry.clone();
        badSequence[10] = 5;
        assertThatThrownBy(() -> KvProposalCodec.decode(badSequence)).isInstanceOf(KvCodecException.class);
        byte[] newer = entry.clone();
        newer[0] = 9;
        assertThatThrownBy(() -> KvProposalCodec.decode(newer)).isInstanceOf(UnsupportedFormatException.class);
    }

    @Test
    void oversizedKeysAndKeyCountsAreRejected() {
        Bytes hugeKey = Bytes.copyOf(new byte[KvLimits.KEY_BYTES_MAX + 1]);
        assertThatThrownBy(() -> new KvCommand.GetDelete(hugeKey)).isInstanceOf(IllegalArgumentException.class);
        List<Bytes> tooMany = java.util.Collections.nCopies(KvLimits.KEYS_PER_COMMAND_MAX + 1, b("k"));
        assertThatThrownBy(() -> new KvCommand.Delete(tooMany)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultsRoundTrip() {
        List<KvResult> results = List.of(KvResult.OK, KvResult.NIL, KvResult.of(-1), KvResult.of(Long.MAX_VALUE),
                new KvResult.BulkReply(b("value")), new KvResult.ErrorReply("ERR nope"),
                new KvResult.ArrayReply(List.of(KvResult.NIL, new KvResult.ArrayReply(List.of(KvResult.of(3))))));
        for (KvResult result : results) {
            assertThat(KvResultCodec.decode(KvResultCodec.encode(result))).isEqualTo(result);
        }
        assertThatThrownBy(() -> KvResultCodec.decode(new byte[] {1, 77})).isInstanceOf(KvCodecException.class);
        assertThatThrownBy(() -> KvResultCodec.decode(new byte[] {1})).isInstanceOf(KvCodecException.class);
    }

    @Test
    void decimalFollowsRedisRules() {
        assertThat(Decimal.parseLong(b("0"))).hasValue(0);
        assertThat(Decimal.parseLong(b("-1"))).hasValue(-1);
        assertThat(Decimal.parseLong(b("9223372036854775807"))).hasValue(Long.MAX_VALUE);
        assertThat(Decimal.parseLong(b("-9223372036854775808"))).hasValue(Long.MIN_VALUE);
        for (String bad : List.of("", "-", "+1", "01", "-0", " 1", "1 ", "1.0", "9223372036854775808",
                "-9223372036854775809", "123456789012345678901", "abc")) {
            assertThat(Decimal.parseLong(b(bad))).as(bad).isEqualTo(OptionalLong.empty());
        }
        assertThat(Decimal.format(-42)).isEqualTo(b("-42"));
    }
}
