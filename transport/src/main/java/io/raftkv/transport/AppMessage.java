package io.raftkv.transport;

import io.raftkv.core.NodeId;
import java.util.Arrays;
import java.util.Objects;

/**
 * An opaque node-to-node message of the node runtime's own protocol (forwarding a client proposal to
 * the leader and its answer, announcing client addresses). The transport carries it like a Raft
 * message and never interprets {@code kind} or {@code payload}: validating them is the receiver's job.
 *
 * <p>The payload array is owned by the message once constructed: callers must not mutate it. It is
 * not copied, because forwarded proposals can be large.
 *
 * @param from    the sending server
 * @param to      the receiving server
 * @param kind    the runtime's message kind; any value
 * @param payload the message body; never null, may be empty
 */
public record AppMessage(NodeId from, NodeId to, int kind, byte[] payload) implements PeerMessage {
    public AppMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppMessage m && m.from.equals(from) && m.to.equals(to) && m.kind == kind
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, kind, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "AppMessage[" + from + "->" + to + ", kind=" + kind + ", " + payload.length + "B]";
    }
}
