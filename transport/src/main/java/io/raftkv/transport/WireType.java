package io.raftkv.transport;

import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.MessageVisitor;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.ReadIndexResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;

/**
 * The type byte of a frame. Codes are part of the wire format and fixed here explicitly (never an
 * ordinal), so reordering this enum cannot change the protocol; a new kind takes a new code.
 */
enum WireType {
    REQUEST_VOTE_REQUEST(1),
    REQUEST_VOTE_RESPONSE(2),
    APPEND_ENTRIES_REQUEST(3),
    APPEND_ENTRIES_RESPONSE(4),
    HEARTBEAT_REQUEST(5),
    HEARTBEAT_RESPONSE(6),
    READ_INDEX_REQUEST(7),
    READ_INDEX_RESPONSE(8),
    INSTALL_SNAPSHOT_REQUEST(9),
    INSTALL_SNAPSHOT_RESPONSE(10),
    TIMEOUT_NOW(11),
    /** An {@link AppMessage} of the node runtime; far from the Raft codes to leave room for new RPCs. */
    APP_MESSAGE(64);

    private static final WireType[] BY_CODE = new WireType[256];

    static {
        for (WireType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    /** The type byte on the wire, 0..255. */
    final int code;

    WireType(int code) {
        this.code = code;
    }

    /** The type with this code, or null if no type has it. */
    static WireType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    static WireType of(PeerMessage message) {
        if (message instanceof RaftEnvelope envelope) {
            return envelope.message().accept(OF_RAFT);
        }
        return APP_MESSAGE;
    }

    private static final MessageVisitor<WireType> OF_RAFT = new MessageVisitor<>() {
        @Override
        public WireType visit(RequestVoteRequest message) {
            return REQUEST_VOTE_REQUEST;
        }

        @Override
        public WireType visit(RequestVoteResponse message) {
            return REQUEST_VOTE_RESPONSE;
        }

        @Override
        public WireType visit(AppendEntriesRequest message) {
            return APPEND_ENTRIES_REQUEST;
        }

        @Override
        public WireType visit(AppendEntriesResponse message) {
            return APPEND_ENTRIES_RESPONSE;
        }

        @Override
        public WireType visit(HeartbeatRequest message) {
            return HEARTBEAT_REQUEST;
        }

        @Override
        public WireType visit(HeartbeatResponse message) {
            return HEARTBEAT_RESPONSE;
        }

        @Override
        public WireType visit(ReadIndexRequest message) {
            return READ_INDEX_REQUEST;
        }

        @Override
        public WireType visit(ReadIndexResponse message) {
            return READ_INDEX_RESPONSE;
        }

        @Override
        public WireType visit(InstallSnapshotRequest message) {
            return INSTALL_SNAPSHOT_REQUEST;
        }

        @Override
        public WireType visit(InstallSnapshotResponse message) {
            return INSTALL_SNAPSHOT_RESPONSE;
        }

        @Override
        public WireType visit(TimeoutNow message) {
            return TIMEOUT_NOW;
        }
    };
}
