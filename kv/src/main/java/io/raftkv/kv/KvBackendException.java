package io.raftkv.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a {@link KvBackend} could not complete a write or a read barrier. A closed family: each kind
 * tells the client whether the command was <em>certainly not applied</em> (safe to retry, even
 * without a session) or whether its outcome is unknown (R-CLIENT-2: it may still turn out applied).
 * Backends complete their futures exceptionally with one of these; anything else is treated as an
 * unknown outcome for a write.
 */
public abstract sealed class KvBackendException extends RuntimeException {

    private KvBackendException(String message) {
        super(message, null, false, false);
    }

    /** True if the command certainly was not applied and will not be; false if that is unknown. */
    public abstract boolean certainlyNotApplied();

    /**
     * This node is not the leader and did not forward the command (R-CLIENT-1); it was not
     * proposed. Names the leader when known, so a client can go there.
     */
    public static final class NotLeader extends KvBackendException {
        private final String leaderId;
        private final String leaderAddress;

        /**
         * @param leaderId      the leader's node id
         * @param leaderAddress the leader's client address as host:port, or null if unknown
         */
        public NotLeader(String leaderId, String leaderAddress) {
            super("not the leader; leader is " + leaderId + (leaderAddress == null ? "" : " at " + leaderAddress));
            this.leaderId = Objects.requireNonNull(leaderId, "leaderId");
            this.leaderAddress = leaderAddress;
        }

        public String leaderId() {
            return leaderId;
        }

        public Optional<String> leaderAddress() {
            return Optional.ofNullable(leaderAddress);
        }

        @Override
        public boolean certainlyNotApplied() {
            return true;
        }
    }

    /** No leader is known (an election is under way, or this node is partitioned); not proposed. */
    public static final class NoLeader extends KvBackendException {
        public NoLeader(String detail) {
            super(detail);
        }

        @Override
        public boolean certainlyNotApplied() {
            return true;
        }
    }

    /**
     * A bounded queue or budget is full (R-OPS-5: overload is back-pressure, never a failure of the
     * node); the command was refused before it was proposed.
     */
    public static final class Busy extends KvBackendException {
        public Busy(String detail) {
            super(detail);
        }

        @Override
        public boolean certainlyNotApplied() {
            return true;
        }
    }

    /**
     * The command was proposed, and then something happened before its result was known: a
     * timeout, a leader change, a lost connection to the leader. It may be applied or not; only a
     * retry in the same session (or a read) can tell.
     */
    public static final class UnknownOutcome extends KvBackendException {
        public UnknownOutcome(String detail) {
            super(detail);
        }

        @Override
        public boolean certainlyNotApplied() {
            return false;
        }
    }

    /**
     * The node or its state machine has stopped (shut down, or halted on a non-deterministic
     * failure, R-OPS-6) and did not accept the command. A command accepted before the stop is
     * reported as {@link UnknownOutcome} instead.
     */
    public static final class Stopped extends KvBackendException {
        public Stopped(String detail) {
            super(detail);
        }

        @Override
        public boolean certainlyNotApplied() {
            return true;
        }
    }
}
