package io.raftkv.kv;

import io.raftkv.node.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated key-value store as a raftkv {@link StateMachine} (R-KV-2): binary-safe keys and
 * values, exactly-once client sessions (thesis §6.3, R-CLIENT-3), and snapshots taken while
 * applying continues (R-SNAP-2).
 *
 * <h2>Threads</h2>
 * The node calls {@link #apply}, {@link #snapshot} and {@link #restore} from its single apply
 * thread. The whole state is one immutable {@link KvState} (persistent hash tries, structurally
 * shared between versions) published through a volatile field after every command. So:
 * <ul>
 *   <li>readers on any thread ({@link #readView}) take the current version without a lock and see
 *       it whole, e.g. MGET is atomic; the apply thread never waits for a reader;</li>
 *   <li>{@link #snapshot} is O(1): it captures the current version, and the writer thread streams
 *       that version while apply moves on to newer ones.</li>
 * </ul>
 *
 * <h2>Determinism (R-OPS-6)</h2>
 * Results depend only on the state and the command bytes: time comes from the leader-stamped
 * {@link KvProposal#leaderTimeMs()}, never a local clock; iteration order comes from fixed hash
 * functions. A malformed command is an error result on every node. A command of an unknown format
 * version throws {@link UnsupportedFormatException}, which stops this node: a newer node would
 * apply it, so carrying on could diverge.
 */
public final class KvStateMachine implements StateMachine {

    private static final Logger log = LoggerFactory.getLogger(KvStateMachine.class);

    /** The current state; written only by the apply thread, read by anyone. */
    private volatile KvState state = KvState.EMPTY;

    @Override
    public byte[] apply(long index, byte[] command) {
        KvState current = state;
        KvProposal proposal;
        try {
            proposal = KvProposalCodec.decode(command);
        } catch (KvCodecException e) {
            log.warn("KV entry {} is malformed, answering an error: {}", index, e.getMessage());
            state = new KvState(current.data(), current.sessions(), current.nowMs(), index);
            return KvResultCodec.encode(new KvResult.ErrorReply(KvErrors.MALFORMED_PREFIX + e.getMessage()));
        }
        ProposalApplier.Transition transition = ProposalApplier.apply(current, index, proposal);
        state = transition.state();
        return transition.result();
    }

    @Override
    public Snapshot snapshot() {
        KvState captured = state;
        return out -> KvSnapshotFormat.write(captured, out);
    }

    /**
     * Replaces the whole state with the snapshot's. The snapshot is read and verified completely
     * before anything changes: on any {@link IOException} the previous state stays.
     */
    @Override
    public void restore(InputStream in) throws IOException {
        KvState restored = KvSnapshotFormat.read(in);
        state = restored;
        log.info("restored KV snapshot: {} keys, {} sessions, last applied index {}",
                restored.data().size(), restored.sessions().size(), restored.lastAppliedIndex());
    }

    /** A consistent, immutable view of the current state for reads; safe from any thread. */
    public KvReadView readView() {
        return new KvReadView(state);
    }

    /** Log index of the last applied command (0 before any); from any thread. */
    public long lastAppliedIndex() {
        return state.lastAppliedIndex();
    }

    /** The number of open client sessions, expired ones not yet swept included; from any thread. */
    public int sessionCount() {
        return state.sessions().size();
    }
}
