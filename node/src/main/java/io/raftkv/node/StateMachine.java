package io.raftkv.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The replicated state machine an application plugs into a raftkv node (paper §2: "replicated
 * state machines"). The node calls it from one apply thread, in log order, exactly once per
 * committed entry on each node; it never calls it while holding consensus state (R-OPS-6).
 *
 * <h2>Errors (R-OPS-6)</h2>
 * {@link #apply} must be deterministic: the same commands in the same order give the same results
 * on every node. A command that fails <em>deterministically</em> (bad argument, wrong type) returns
 * its error as an ordinary result, or throws {@link CommandRejectedException}, whose message becomes
 * that command's result on every node. Any other exception (an I/O error, a bug) means replicas could
 * diverge: the node stops applying and shuts down loudly rather than carry on.
 *
 * <h2>Snapshots (paper §7, R-SNAP-1/2)</h2>
 * {@link #snapshot()} is called on the apply thread and must return quickly with a point-in-time
 * view (copy-on-write, an immutable structure); the node writes that view to disk on another
 * thread while it keeps applying. {@link #restore} replaces the whole state with a snapshot's.
 */
public interface StateMachine {

    /**
     * Applies one committed command.
     *
     * @param index   the command's log index; increases by one per call, except after a restore
     * @param command the bytes a client proposed
     * @return the result handed to the proposer's future (may be empty, never null)
     * @throws CommandRejectedException for a deterministic failure of this command
     */
    byte[] apply(long index, byte[] command);

    /** A consistent view of the state as of the last applied index, to be written by another thread. */
    Snapshot snapshot();

    /** Replaces the entire state with the one {@code in} holds, written earlier by a {@link Snapshot}. */
    void restore(InputStream in) throws IOException;

    /** A point-in-time view of the state that can be written while the state machine keeps applying. */
    interface Snapshot {
        /** Writes the view; called once, from a thread other than the apply thread. */
        void writeTo(OutputStream out) throws IOException;
    }
}
