package io.raftkv.kv;

/**
 * Drives a {@link KvStateMachine} the way a node would: encodes each proposal to log bytes, applies
 * it at the next index, and decodes the result bytes. Leader time is set explicitly by the test.
 */
final class KvHarness {

    final KvStateMachine stateMachine;
    private long index;
    long timeMs = 1_000_000;

    KvHarness() {
        this(new KvStateMachine());
    }

    KvHarness(KvStateMachine stateMachine) {
        this.stateMachine = stateMachine;
    }

    static Bytes b(String text) {
        return Bytes.utf8(text);
    }

    KvResult apply(KvCommand command) {
        return apply(KvProposal.withoutSession(command, timeMs));
    }

    KvResult apply(KvProposal proposal) {
        return KvResultCodec.decode(stateMachine.apply(++index, KvProposalCodec.encode(proposal)));
    }

    KvResult applyRaw(byte[] entry) {
        return KvResultCodec.decode(stateMachine.apply(++index, entry));
    }

    KvResult open(long sessionId) {
        return apply(KvProposal.sessionControl(sessionId, timeMs, new KvCommand.OpenSession()));
    }

    KvResult inSession(long sessionId, long sequence, long firstOutstanding, KvCommand command) {
        return apply(KvProposal.inSession(sessionId, sequence, firstOutstanding, timeMs, command));
    }

    String get(String key) {
        return stateMachine.readView().get(b(key)).map(Bytes::toStringUtf8).orElse(null);
    }

    static KvCommand set(String key, String value) {
        return new KvCommand.Set(b(key), b(value), KvCommand.SetCondition.ALWAYS, false);
    }

    static KvCommand incr(String key) {
        return new KvCommand.IncrementBy(b(key), 1);
    }
}
