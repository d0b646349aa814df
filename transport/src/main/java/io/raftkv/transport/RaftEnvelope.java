package io.raftkv.transport;

import io.raftkv.core.NodeId;
import io.raftkv.core.message.RaftMessage;
import java.util.Objects;

/**
 * A core Raft message on its way between servers. The envelope adds nothing on the wire: sender and
 * receiver are the message's own.
 *
 * @param message the Raft message; never null
 */
public record RaftEnvelope(RaftMessage message) implements PeerMessage {
    public RaftEnvelope {
        Objects.requireNonNull(message, "message");
    }

    @Override
    public NodeId from() {
        return message.from();
    }

    @Override
    public NodeId to() {
        return message.to();
    }
}
