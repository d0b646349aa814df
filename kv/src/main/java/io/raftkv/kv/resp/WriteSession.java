package io.raftkv.kv.resp;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftkv.kv.KvBackendException;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvErrors;
import io.raftkv.kv.KvProposal;
import io.raftkv.kv.KvResult;
import java.util.ArrayDeque;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of one client connection, carried in one client session (thesis §6.3, R-CLIENT-3):
 * opens the session on the first write, numbers every write, and re-proposes a write with the
 * <em>same</em> number after a leader change or an unknown outcome, so the state machine applies
 * it at most once however often it is retried.
 *
 * <h2>Outcomes</h2>
 * Each write's future completes with the applied result, or with a {@link KvBackendException}
 * whose {@code certainlyNotApplied()} is honest across all attempts: if any attempt's outcome was
 * unknown, a later "not leader" does not make the whole write "not applied".
 *
 * <h2>Threads</h2>
 * Everything runs on the connection's event loop; backend callbacks hop onto it. Futures
 * returned by {@link #submit} complete on it.
 */
final class WriteSession {

    private static final Logger log = LoggerFactory.getLogger(WriteSession.class);

    private final ServerContext server;
    private final EventExecutor executor;
    /** The current session; null when none is open or opening. */
    private Session session;
    /**
     * Writes of an expired session that must be proposed again, in their original order; they go
     * before {@link #waitingForSession}, which they preceded in the connection's program order.
     */
    private final ArrayDeque<PendingWrite> resubmitted = new ArrayDeque<>();
    /** Writes waiting for {@link #session} to open, in submission order. */
    private final ArrayDeque<PendingWrite> waitingForSession = new ArrayDeque<>();
    private boolean closed;

    WriteSession(ServerContext server, EventExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /** One session as this connection sees it. */
    private static final class Session {
        final long id;
        /** Whether OPEN was applied; writes are proposed only after. */
        boolean open;
        int openAttempts;
        long nextSequence = 1;
        /** Numbers proposed whose outcome this connection has not settled yet. */
        final TreeSet<Long> outstanding = new TreeSet<>();

        Session(long id) {
            this.id = id;
        }

        long firstOutstanding() {
            return outstanding.isEmpty() ? nextSequence : outstanding.first();
        }
    }

    /** One write from submission until its future completes. */
    private static final class PendingWrite {
        final KvCommand command;
        final CompletableFuture<KvResult> future = new CompletableFuture<>();
        final long deadlineNanos;
        ScheduledFuture<?> timeout;
        Session session;
        long sequence;
        int attempts;
        /** True once some attempt's outcome was unknown: from then on the write may have been applied. */
        boolean mayHaveBeenApplied;

        PendingWrite(KvCommand command, long deadlineNanos) {
            this.command = command;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** Proposes {@code command} in this connection's session; completes on the event loop. */
    CompletableFuture<KvResult> submit(KvCommand command) {
        long timeoutNanos = server.config.commandTimeout().toNanos();
        PendingWrite write = new PendingWrite(command, System.nanoTime() + timeoutNanos);
        if (closed) {
            write.future.completeExceptionally(new KvBackendException.Stopped("connection closed"));
            return write.future;
        }
        write.timeout = executor.schedule(() -> timedOut(write), timeoutNanos, TimeUnit.NANOSECONDS);
        if (session != null && session.open) {
            propose(write);
        } else {
            waitingForSession.add(write);
            ensureSession();
        }
        return write.future;
    }

    /** The connection is gone: fail what never left, and close the session so the cluster forgets it. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        failWaiting(new KvBackendException.Stopped("connection closed"));
        if (session != null && session.open) {
            long id = session.id;
            KvProposal close = KvProposal.sessionControl(id, now(), new KvCommand.CloseSession());
            safeWrite(close).whenComplete((result, failure) -> {
                if (failure != null) {
                    log.debug("closing client session {} failed (it will expire): {}", Long.toHexString(id),
                            failure.toString());
                }
            });
        }
        session = null;
    }

    private void ensureSession() {
        if (session != null) {
            return;
        }
        Session opening = new Session(server.sessionIds.next());
        session = opening;
        proposeOpen(opening);
        executor.schedule(() -> openTimedOut(opening), server.config.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void proposeOpen(Session opening) {
        opening.openAttempts++;
        KvProposal open = KvProposal.sessionControl(opening.id, now(), new KvCommand.OpenSession());
        safeWrite(open).whenComplete((result, failure) -> executor.execute(() -> openDone(opening, result, failure)));
    }

    private void openDone(Session opening, KvResult result, Throwable failure) {
        if (session != opening || opening.open || closed) {
            return;
        }
        if (failure == null && !result.isError()) {
            opening.open = true;
            while (!resubmitted.isEmpty()) {
                propose(resubmitted.poll());
            }
            while (!waitingForSession.isEmpty()) {
                propose(waitingForSession.poll());
            }
            return;
        }
        KvBackendException reason;
        if (failure == null) {
            // The state machine refused (too many sessions): nothing was applied.
            String message = ((KvResult.ErrorReply) result).message();
            reason = new KvBackendException.Busy("could not open a client session: "
                    + message.substring(message.indexOf(' ') + 1));
        } else {
            reason = classify(failure);
            if (isRetryable(reason) && opening.openAttempts <= server.config.writeRetriesMax()) {
                server.stats.writeRetries.incrementAndGet();
                executor.schedule(() -> {
                    if (session == opening && !opening.open && !closed) {
                        proposeOpen(opening);
                    }
                }, backoffNanos(opening.openAttempts), TimeUnit.NANOSECONDS);
                return;
            }
            if (!reason.certainlyNotApplied()) {
                // The writes waiting for this session were never proposed, whatever became of OPEN.
                reason = new KvBackendException.NoLeader("could not open a client session: " + reason.getMessage());
            }
        }
        session = null;
        failWaiting(reason);
    }

    /** Fails every write that was never proposed in the current session: certainly not applied by it. */
    private void failWaiting(KvBackendException reason) {
        while (!resubmitted.isEmpty()) {
            finish(resubmitted.poll(), null, reason);
        }
        while (!waitingForSession.isEmpty()) {
            finish(waitingForSession.poll(), null, reason);
        }
    }

    private void openTimedOut(Session opening) {
        if (session == opening && !opening.open) {
            session = null;
            if ((!waitingForSession.isEmpty() || !resubmitted.isEmpty()) && !closed) {
                ensureSession();
            }
        }
    }

    private void propose(PendingWrite write) {
        if (write.future.isDone()) {
            return;
        }
        write.session = session;
        write.sequence = session.nextSequence++;
        session.outstanding.add(write.sequence);
        attempt(write);
    }

    private void attempt(PendingWrite write) {
        write.attempts++;
        Session current = write.session;
        KvProposal proposal = KvProposal.inSession(current.id, write.sequence, current.firstOutstanding(), now(),
                write.command);
        safeWrite(proposal).whenComplete((result, failure) ->
                executor.execute(() -> attemptDone(write, result, failure)));
    }

    private void attemptDone(PendingWrite write, KvResult result, Throwable failure) {
        if (write.future.isDone()) {
            return;
        }
        if (failure == null) {
            if (result instanceof KvResult.ErrorReply error && error.code().equals(KvErrors.NO_SESSION_CODE)) {
                sessionLost(write);
            } else if (result instanceof KvResult.ErrorReply error
                    && error.code().equals(KvErrors.STALE_SEQUENCE_CODE)) {
                finish(write, null, new KvBackendException.UnknownOutcome("the command's result was already discarded"));
            } else {
                finish(write, result, null);
            }
            return;
        }
        KvBackendException reason = classify(failure);
        write.mayHaveBeenApplied |= !reason.certainlyNotApplied();
        if (isRetryable(reason) && write.attempts <= server.config.writeRetriesMax() && !closed) {
            long delay = backoffNanos(write.attempts);
            if (System.nanoTime() + delay < write.deadlineNanos) {
                server.stats.writeRetries.incrementAndGet();
                log.debug("retrying write {} of session {} after: {}", write.sequence,
                        Long.toHexString(write.session.id), reason.getMessage());
                executor.schedule(() -> {
                    if (!write.future.isDone()) {
                        attempt(write);
                    }
                }, delay, TimeUnit.NANOSECONDS);
                return;
            }
        }
        if (write.mayHaveBeenApplied && reason.certainlyNotApplied()) {
            reason = new KvBackendException.UnknownOutcome("an earlier attempt's outcome is unknown, and the last one"
                    + " failed: " + reason.getMessage());
        }
        finish(write, null, reason);
    }

    /**
     * The state machine does not know the session: it expired (the connection was idle longer than
     * the session timeout) or the cluster restarted from a snapshot without it. If no attempt could
     * have been applied, the write moves to a fresh session; otherwise its outcome is unknown.
     */
    private void sessionLost(PendingWrite write) {
        write.session.outstanding.remove(write.sequence);
        if (session == write.session) {
            session = null;
        }
        if (write.mayHaveBeenApplied || write.attempts > server.config.writeRetriesMax() || closed) {
            String detail = write.mayHaveBeenApplied ? "the client session expired before the outcome was known"
                    : "the client session expired and could not be reopened";
            write.session = null;
            finish(write, null, write.mayHaveBeenApplied ? new KvBackendException.UnknownOutcome(detail)
                    : new KvBackendException.NoLeader(detail));
            return;
        }
        log.debug("client session {} expired; reopening", Long.toHexString(write.session.id));
        write.session = null;
        resubmitted.add(write);
        ensureSession();
    }

    private void timedOut(PendingWrite write) {
        if (write.future.isDone()) {
            return;
        }
        boolean waiting = waitingForSession.remove(write) || resubmitted.remove(write);
        boolean proposed = !waiting && write.attempts > 0;
        long millis = server.config.commandTimeout().toMillis();
        finish(write, null, proposed || write.mayHaveBeenApplied
                ? new KvBackendException.UnknownOutcome("timed out after " + millis + " ms waiting for the command")
                : new KvBackendException.NoLeader("timed out after " + millis + " ms waiting for a client session"));
    }

    private void finish(PendingWrite write, KvResult result, KvBackendException failure) {
        if (write.session != null) {
            write.session.outstanding.remove(write.sequence);
        }
        if (write.timeout != null) {
            write.timeout.cancel(false);
        }
        if (failure == null) {
            write.future.complete(result);
        } else {
            write.future.completeExceptionally(failure);
        }
    }

    private CompletableFuture<KvResult> safeWrite(KvProposal proposal) {
        try {
            CompletableFuture<KvResult> future = server.backend.write(proposal);
            return future != null ? future
                    : CompletableFuture.failedFuture(new IllegalStateException("backend returned no future"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static KvBackendException classify(Throwable failure) {
        Throwable cause = Replies.unwrap(failure);
        if (cause instanceof KvBackendException typed) {
            return typed;
        }
        log.warn("backend failed a write with an untyped exception; treating the outcome as unknown", cause);
        return new KvBackendException.UnknownOutcome("internal error: " + cause);
    }

    private static boolean isRetryable(KvBackendException reason) {
        return reason instanceof KvBackendException.NotLeader || reason instanceof KvBackendException.NoLeader
                || reason instanceof KvBackendException.UnknownOutcome;
    }

    private long backoffNanos(int attempts) {
        long base = server.config.writeRetryBackoff().toNanos();
        return base << Math.min(attempts - 1, 16);
    }

    private long now() {
        return server.config.clock().millis();
    }
}
