package io.raftkv.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The node-to-node messages the runtime sends over the transport besides Raft's own: a follower
 * forwards a client proposal to the leader and gets its outcome back (R-CLIENT-1), and nodes tell
 * each other their client addresses (for redirects and INFO). Payloads are validated on decode.
 */
final class ForwardingProtocol {
    static final int FORWARD_PROPOSAL = 1;
    static final int FORWARD_RESULT = 2;
    static final int CLIENT_ADDRESS = 3;

    /** Outcome codes of a forwarded proposal. */
    enum Status { OK, NOT_LEADER, BUSY, UNKNOWN, REJECTED, STOPPED }

    record Proposal(long requestId, byte[] command) {}

    record Result(long requestId, Status status, byte[] body) {}

    /** Largest forwarded command or result: below the transport's 16 MiB frame limit, with room for headers. */
    static final int MAX_BODY_BYTES = RaftNode.MAX_COMMAND_BYTES + 1024;

    private ForwardingProtocol() {}

    static byte[] encodeProposal(long requestId, byte[] command) {
        return ByteBuffer.allocate(8 + command.length).putLong(requestId).put(command).array();
    }

    static Proposal decodeProposal(byte[] payload) {
        if (payload.length < 8 || payload.length - 8 > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("bad forwarded proposal of " + payload.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(payload);
        long id = buf.getLong();
        byte[] command = new byte[buf.remaining()];
        buf.get(command);
        return new Proposal(id, command);
    }

    static byte[] encodeResult(long requestId, Status status, byte[] body) {
        return ByteBuffer.allocate(9 + body.length).putLong(requestId).put((byte) status.ordinal()).put(body).array();
    }

    static Result decodeResult(byte[] payload) {
        if (payload.length < 9 || payload.length - 9 > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("bad forwarded result of " + payload.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(payload);
        long id = buf.getLong();
        int code = buf.get();
        if (code < 0 || code >= Status.values().length) {
            throw new IllegalArgumentException("bad forwarded result status " + code);
        }
        byte[] body = new byte[buf.remaining()];
        buf.get(body);
        return new Result(id, Status.values()[code], body);
    }

    /** The failure a future's dependent stage sees, without its {@code CompletionException} wrapper. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    static byte[] encodeAddress(String address) {
        return address.getBytes(StandardCharsets.UTF_8);
    }

    static String decodeAddress(byte[] payload) {
        if (payload.length > 300) {
            throw new IllegalArgumentException("client address too long");
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The exception a forwarded status stands for, on the follower that forwarded it. */
    static RaftNodeException toException(Status status, String message) {
        return switch (status) {
            case NOT_LEADER -> new RaftNodeException.NotLeader(message, null);
            case BUSY -> new RaftNodeException.Busy(message);
            case UNKNOWN -> new RaftNodeException.UnknownOutcome(message);
            case REJECTED -> new RaftNodeException.Rejected(message);
            case STOPPED -> new RaftNodeException.UnknownOutcome("leader stopping: " + message);
            case OK -> throw new IllegalArgumentException("OK is not a failure");
        };
    }

    static Status statusOf(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof RaftNodeException.NotLeader) {
            return Status.NOT_LEADER;
        } else if (t instanceof RaftNodeException.Busy) {
            return Status.BUSY;
        } else if (t instanceof RaftNodeException.Rejected) {
            return Status.REJECTED;
        } else if (t instanceof RaftNodeException.Stopped s) {
            return s.certainlyNotApplied() ? Status.NOT_LEADER : Status.UNKNOWN;
        }
        return Status.UNKNOWN;
    }
}
