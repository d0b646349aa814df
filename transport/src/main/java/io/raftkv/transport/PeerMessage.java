package io.raftkv.transport;

import io.raftkv.core.NodeId;

/**
 * A message between two servers, as the transport carries it: either a Raft message of the core or
 * an opaque message of the node runtime. The family is closed so the codec covers every kind.
 */
public sealed interface PeerMessage permits RaftEnvelope, AppMessage {

    /** The sending server. */
    NodeId from();

    /** The receiving server; a transport drops inbound messages addressed to anyone else. */
    NodeId to();
}
