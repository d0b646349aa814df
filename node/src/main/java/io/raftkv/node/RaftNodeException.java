package io.raftkv.node;

/**
 * Why a proposal or read failed. Every subclass says whether the command was <b>certainly not
 * applied</b> (safe to retry anywhere) or its <b>outcome is unknown</b> (it may still be applied).
 */
public abstract sealed class RaftNodeException extends RuntimeException
        permits RaftNodeException.NotLeader, RaftNodeException.Busy, RaftNodeException.UnknownOutcome,
                RaftNodeException.Stopped, RaftNodeException.Rejected {

    RaftNodeException(String message) {
        super(message, null, false, false);
    }

    /** True if the command certainly was not applied, so a retry cannot apply it twice. */
    public abstract boolean certainlyNotApplied();

    /** No leader is known, or leadership moved before the command was proposed. Certainly not applied. */
    public static final class NotLeader extends RaftNodeException {
        private final String leaderId;

        public NotLeader(String message, String leaderId) {
            super(message);
            this.leaderId = leaderId;
        }

        /** The leader this node knows of, or null. */
        public String leaderId() {
            return leaderId;
        }

        @Override
        public boolean certainlyNotApplied() {
            return true;
        }
    }

    /** A bounded queue is full (R-OPS-5): back off and retry. Certainly not applied. */
    public static final class Busy extends RaftNodeException {
        public Busy(String message) {
            super(message);
        }

        @Override
        public boolean certainlyNotApplied() {
            return true;
        }
    }

    /** The command was proposed, then a timeout hit or the leader changed: it may or may not be applied. */
    public static final class UnknownOutcome extends RaftNodeException {
        public UnknownOutcome(String message) {
            super(message);
        }

        @Override
        public boolean certainlyNotApplied() {
            return false;
        }
    }

    /** The node is stopping or stopped (or failed). Outcome unknown for commands already proposed. */
    public static final class Stopped extends RaftNodeException {
        private final boolean proposed;

        public Stopped(String message, boolean proposed) {
            super(message);
            this.proposed = proposed;
        }

        @Override
        public boolean certainlyNotApplied() {
            return !proposed;
        }
    }

    /** The state machine rejected the command deterministically (R-OPS-6); it was applied as a no-op result. */
    public static final class Rejected extends RaftNodeException {
        public Rejected(String message) {
            super(message);
        }

        @Override
        public boolean certainlyNotApplied() {
            return false;
        }
    }
}
