package io.raftkv.node;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftCore;
import io.raftkv.core.ReadState;
import io.raftkv.core.Ready;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.transport.AppMessage;
import io.raftkv.transport.PeerMessage;
import io.raftkv.transport.PeerTransport;
import io.raftkv.transport.RaftEnvelope;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a {@link RaftCore} (DESIGN: "the core is touched by its loop thread
 * only"). It takes events from its inbox in batches — ticks, peer messages, proposals, reads,
 * storage completions — steps the core, and carries out each {@link Ready} as its contract says:
 * messages that may leave early are sent at once, so the leader writes its own log in parallel
 * with replicating it (thesis §10.2.1); persistence is handed to the write-ahead log's group
 * commit and never waited for on this thread; when a Ready is durable (in order), its remaining
 * messages go out, its committed entries go to the apply thread, and the core advances.
 *
 * <p>External events (client proposals and reads, peer messages) are bounded by
 * {@code maxInboxEvents}: beyond it proposals fail as Busy and peer messages are dropped, which
 * Raft tolerates (R-OPS-5). Internal completions are never dropped.
 */
final class RaftLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);

    /** A Ready handed to storage, finished once durable and every Ready before it is finished. */
    private static final class InFlight {
        final Ready ready;
        boolean durable;

        InFlight(Ready ready) {
            this.ready = ready;
        }
    }

    /** A read waiting for the core's read index. */
    private record PendingRead(CompletableFuture<Long> future, long deadlineNanos) {}

    /** A proposal forwarded to {@code leader}, waiting for its outcome. */
    private record Forwarded(CompletableFuture<byte[]> future, long deadlineNanos, NodeId leader) {}

    private final NodeConfig config;
    private final NodeId id;
    private final RaftCore core;
    private final NodeStorage storage;
    private final PeerTransport transport;
    private final Applier applier;
    private final PendingProposals proposals;
    private final NodeHealth health;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger externalQueued = new AtomicInteger();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final Map<Long, PendingRead> reads = new HashMap<>();
    private final Map<Long, Forwarded> forwarded = new ConcurrentHashMap<>();
    private final MembershipRequests membership = new MembershipRequests();
    private final PeerAddressBook addressBook;
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final Map<NodeId, Long> lastContactNanos = new ConcurrentHashMap<>();
    private final Map<NodeId, String> clientAddresses = new ConcurrentHashMap<>();
    /** A Ready whose snapshot the apply thread is installing; later Readies wait behind it. */
    private boolean installInProgress;
    private boolean snapshotInProgress;
    private volatile NodeStatus status;
    private io.raftkv.core.RaftRole lastRole;
    private long lastTerm = -1;
    private NodeId lastLeader;
    private volatile boolean running = true;

    RaftLoop(NodeConfig config, RaftCore core, NodeStorage storage, PeerTransport transport, Applier applier,
             PendingProposals proposals, NodeHealth health) {
        this.config = config;
        this.id = config.id();
        this.core = core;
        this.storage = storage;
        this.transport = transport;
        this.applier = applier;
        this.proposals = proposals;
        this.health = health;
        this.addressBook = new PeerAddressBook(config, transport);
        this.status = snapshotStatus();
    }

    // -------------------------------------------------------------------------------------------
    // Entry points from other threads
    // -------------------------------------------------------------------------------------------

    /** Queues work from inside the node (timers, storage, apply thread); never refused. */
    void submitInternal(Runnable event) {
        inbox.add(event);
    }

    /** Queues work from outside (clients, peers); false if the inbox is full (R-OPS-5). */
    boolean submitExternal(Runnable event) {
        if (externalQueued.incrementAndGet() > config.maxInboxEvents()) {
            externalQueued.decrementAndGet();
            return false;
        }
        inbox.add(() -> {
            externalQueued.decrementAndGet();
            event.run();
        });
        return true;
    }

    void onPeerMessage(PeerMessage message) {
        if (message instanceof AppMessage app && app.kind() == ForwardingProtocol.FORWARD_RESULT) {
            // The outcome of a forwarded proposal touches no Raft state: complete its future here, on
            // the transport's thread, instead of waking this loop only to pass it on (one thread
            // hand-off less for every write a client sends through a follower).
            lastContactNanos.put(message.from(), System.nanoTime());
            try {
                handleForwardResult(app);
            } catch (IllegalArgumentException e) {
                log.warn("{}: dropped malformed node message kind {} from {}: {}", id, app.kind(), app.from(),
                        e.getMessage());
            }
            return;
        }
        if (!submitExternal(() -> handlePeerMessage(message))) {
            log.debug("{}: inbox full, dropped {}", id, message);
        }
    }

    CompletableFuture<byte[]> propose(byte[] command) {
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        if (!running) {
            future.completeExceptionally(new RaftNodeException.Stopped("node is stopped", false));
        } else if (!submitExternal(() -> handlePropose(command, future))) {
            future.completeExceptionally(new RaftNodeException.Busy("node inbox full"));
        }
        return future;
    }

    /**
     * A linearizable read barrier: completes with an index the local state machine has applied.
     * With {@code lease}, a leader holding a lease answers without a round trip (thesis §6.4.1).
     */
    CompletableFuture<Long> readIndex(boolean lease) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        if (!running) {
            future.completeExceptionally(new RaftNodeException.Stopped("node is stopped", false));
        } else if (!submitExternal(() -> handleRead(future, lease))) {
            future.completeExceptionally(new RaftNodeException.Busy("node inbox full"));
        }
        return future;
    }

    CompletableFuture<MembershipOutcome> changeMembership(ConfigChange change) {
        CompletableFuture<MembershipOutcome> future = new CompletableFuture<>();
        if (!running) {
            future.completeExceptionally(new RaftNodeException.Stopped("node is stopped", false));
        } else if (!submitExternal(() -> membership.change(core, change, proposals, deadline(), future))) {
            future.completeExceptionally(new RaftNodeException.Busy("node inbox full"));
        }
        return future;
    }

    CompletableFuture<NodeId> transferLeadership(NodeId target) {
        CompletableFuture<NodeId> future = new CompletableFuture<>();
        if (!running) {
            future.completeExceptionally(new RaftNodeException.Stopped("node is stopped", false));
        } else if (!submitExternal(() -> membership.transfer(core, target, future))) {
            future.completeExceptionally(new RaftNodeException.Busy("node inbox full"));
        }
        return future;
    }

    NodeStatus status() {
        return status;
    }

    /** Client address a peer announced, or null. */
    String clientAddressOf(NodeId node) {
        return clientAddresses.get(node);
    }

    void stop() {
        running = false;
        submitInternal(() -> { });
    }

    // -------------------------------------------------------------------------------------------
    // The loop
    // -------------------------------------------------------------------------------------------

    @Override
    public void run() {
        long nextExpiry = System.nanoTime();
        try {
            while (running) {
                Runnable event = inbox.poll(50, TimeUnit.MILLISECONDS);
                int batch = 0;
                while (event != null && batch++ < 4096) {
                    event.run();
                    event = batch < 4096 ? inbox.poll() : null;
                }
                drainReadies();
                noticeLeadershipChange();
                membership.check(core);
                addressBook.update(core.clusterConfig());
                long now = System.nanoTime();
                if (now - nextExpiry >= 0) {
                    expire(now);
                    nextExpiry = now + 50_000_000L;
                }
                status = snapshotStatus();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            health.fail("Raft loop failed", e);
        } finally {
            failEverything(new RaftNodeException.Stopped("node stopped", true));
        }
    }

    void tick() {
        core.tick();
    }

    private void drainReadies() {
        while (running && core.hasReady()) {
            Ready ready = core.ready();
            sendAll(ready.messages());
            InFlight entry = new InFlight(ready);
            inFlight.add(entry);
            if (ready.needsPersist()) {
                storage.persist(ready).whenComplete((ok, error) -> submitInternal(() -> onDurable(entry, error)));
            } else {
                entry.durable = true;
            }
        }
        finishDurable();
    }

    private void onDurable(InFlight entry, Throwable error) {
        if (error != null) {
            health.fail("write-ahead log failed; stopping so that nothing unpersisted is acknowledged", error);
            running = false;
            return;
        }
        entry.durable = true;
        finishDurable();
    }

    /** Finishes durable Readies in the order they were taken (Ready contract, steps 3-5). */
    private void finishDurable() {
        while (running && !installInProgress && !inFlight.isEmpty() && inFlight.peekFirst().durable) {
            Ready ready = inFlight.pollFirst().ready;
            sendAll(ready.messagesAfterPersist());
            for (long requestId : ready.droppedReads()) {
                PendingRead read = reads.remove(requestId);
                if (read != null) {
                    read.future().completeExceptionally(new RaftNodeException.NotLeader(
                            "leadership changed while confirming the read; retry", leaderName()));
                }
            }
            for (ReadState state : ready.readStates()) {
                PendingRead read = reads.remove(state.requestId());
                if (read != null) {
                    applier.awaitApplied(state.readIndex(), read.future());
                }
            }
            SnapshotMetadata install = ready.snapshotToInstall();
            if (install != null) {
                installInProgress = true;
                applier.submit(ready.committedEntries(), install, local -> submitInternal(() -> {
                    installInProgress = false;
                    core.advance(ready);
                    if (local != null) {
                        core.snapshotSaved(local);
                    }
                    finishDurable();
                }));
                return;
            }
            if (!ready.committedEntries().isEmpty()) {
                applier.submit(ready.committedEntries(), null, null);
            }
            core.advance(ready);
        }
    }

    private void sendAll(java.util.List<RaftMessage> messages) {
        for (RaftMessage m : messages) {
            transport.send(new RaftEnvelope(m));
        }
    }

    // -------------------------------------------------------------------------------------------
    // Proposals, forwarding and reads
    // -------------------------------------------------------------------------------------------

    private void handlePropose(byte[] command, CompletableFuture<byte[]> future) {
        if (!proposals.hasRoom(command.length)) {
            future.completeExceptionally(new RaftNodeException.Busy("too many proposals waiting to be applied"));
            return;
        }
        ProposeResult result = core.propose(command);
        if (result instanceof ProposeResult.Accepted accepted) {
            proposals.add(accepted.index(), accepted.term(), command.length, deadline(), future);
            return;
        }
        if (result instanceof ProposeResult.TransferInProgress transfer) {
            // Thesis §3.10: the leader stops taking commands while it hands leadership over; the
            // transfer ends within an election timeout, so the command is retried, not lost.
            future.completeExceptionally(new RaftNodeException.NotLeader(
                    "leadership is being transferred to " + transfer.target() + "; retry", null));
            return;
        }
        NodeId leader = ((ProposeResult.NotLeader) result).leaderHint();
        if (leader == null || leader.equals(id)) {
            future.completeExceptionally(new RaftNodeException.NotLeader("no leader is known; retry", null));
            return;
        }
        // R-CLIENT-1: a follower forwards the command to the leader and relays the outcome.
        long requestId = nextRequestId.getAndIncrement();
        forwarded.put(requestId, new Forwarded(future, deadline(), leader));
        transport.send(new AppMessage(id, leader, ForwardingProtocol.FORWARD_PROPOSAL,
                ForwardingProtocol.encodeProposal(requestId, command)));
    }

    private void handleRead(CompletableFuture<Long> future, boolean lease) {
        if (lease) {
            long leaseIndex = core.leaseReadIndex();
            if (leaseIndex >= 0) {
                applier.awaitApplied(leaseIndex, future);
                return;
            }
        }
        long requestId = nextRequestId.getAndIncrement();
        reads.put(requestId, new PendingRead(future, deadline()));
        core.readIndex(requestId);
    }

    private void handlePeerMessage(PeerMessage message) {
        lastContactNanos.put(message.from(), System.nanoTime());
        if (message instanceof RaftEnvelope envelope) {
            core.step(envelope.message());
        } else if (message instanceof AppMessage app) {
            try {
                handleAppMessage(app);
            } catch (IllegalArgumentException e) {
                log.warn("{}: dropped malformed node message kind {} from {}: {}", id, app.kind(), app.from(),
                        e.getMessage());
            }
        }
    }

    private void handleAppMessage(AppMessage app) {
        switch (app.kind()) {
            case ForwardingProtocol.FORWARD_PROPOSAL -> {
                ForwardingProtocol.Proposal proposal = ForwardingProtocol.decodeProposal(app.payload());
                CompletableFuture<byte[]> local = new CompletableFuture<>();
                local.whenComplete((result, error) -> {
                    byte[] payload = error == null
                            ? ForwardingProtocol.encodeResult(proposal.requestId(), ForwardingProtocol.Status.OK, result)
                            : ForwardingProtocol.encodeResult(proposal.requestId(), ForwardingProtocol.statusOf(error),
                                    String.valueOf(rootMessage(error)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    transport.send(new AppMessage(id, app.from(), ForwardingProtocol.FORWARD_RESULT, payload));
                });
                if (core.role() != io.raftkv.core.RaftRole.LEADER) {
                    // Forward only one hop: a non-leader answers NOT_LEADER rather than forwarding again.
                    local.completeExceptionally(new RaftNodeException.NotLeader("not the leader", leaderName()));
                } else {
                    handlePropose(proposal.command(), local);
                }
            }
            case ForwardingProtocol.FORWARD_RESULT -> handleForwardResult(app);
            case ForwardingProtocol.CLIENT_ADDRESS ->
                    clientAddresses.put(app.from(), ForwardingProtocol.decodeAddress(app.payload()));
            default -> log.debug("{}: ignored node message kind {} from {}", id, app.kind(), app.from());
        }
    }

    /**
     * Completes a forwarded proposal with the leader's answer. Any thread: {@code forwarded} is
     * concurrent, and whoever removes an entry completes its future (a leader change or timeout
     * racing with the answer completes it with one outcome or the other, both true).
     */
    private void handleForwardResult(AppMessage app) {
        ForwardingProtocol.Result result = ForwardingProtocol.decodeResult(app.payload());
        Forwarded waiting = forwarded.remove(result.requestId());
        if (waiting != null) {
            if (result.status() == ForwardingProtocol.Status.OK) {
                waiting.future().complete(result.body());
            } else {
                waiting.future().completeExceptionally(ForwardingProtocol.toException(result.status(),
                        new String(result.body(), java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
    }

    private static String rootMessage(Throwable error) {
        return ForwardingProtocol.unwrap(error).getMessage();
    }

    /** Announces this node's client address to every peer (for redirects and INFO). */
    void announceClientAddress(String address) {
        clientAddresses.put(id, address);
        for (NodeId peer : core.clusterConfig().members()) {
            if (!peer.equals(id)) {
                transport.send(new AppMessage(id, peer, ForwardingProtocol.CLIENT_ADDRESS,
                        ForwardingProtocol.encodeAddress(address)));
            }
        }
    }

    // -------------------------------------------------------------------------------------------
    // Snapshots (R-SNAP-1): the apply thread takes the view, this thread names it, a writer thread writes it
    // -------------------------------------------------------------------------------------------

    /** Called on this thread by the apply thread's request: can a snapshot at {@code index} start? */
    SnapshotMetadata beginSnapshot(long index) {
        if (snapshotInProgress || installInProgress || index < core.log().firstIndex() - 1
                || index > core.log().appliedIndex()) {
            return null;
        }
        snapshotInProgress = true;
        return core.snapshotMetadataAt(index);
    }

    /** A snapshot is durable: followers get it from now on, and the log behind it is compacted. */
    void snapshotWritten(LocalSnapshot local) {
        snapshotInProgress = false;
        if (local == null) {
            return;
        }
        core.snapshotSaved(local);
        long compactTo = local.metadata().lastIncludedIndex() - config.snapshotRetainEntries();
        if (compactTo >= core.log().firstIndex() && compactTo <= core.latestSnapshot().metadata().lastIncludedIndex()) {
            core.compactLog(compactTo);
            storage.compact(compactTo).whenComplete((ok, error) -> {
                if (error != null) {
                    health.fail("compacting the write-ahead log failed", error);
                }
            });
        }
    }

    // -------------------------------------------------------------------------------------------
    // Housekeeping
    // -------------------------------------------------------------------------------------------

    /**
     * Logs role and term changes, and fails proposals forwarded to a leader that is no longer the
     * leader: their answer may never come (the leader may have crashed). They may or may not have
     * been applied, so the outcome is unknown; a client retrying with the same session and sequence
     * number applies them at most once (R-CLIENT-3).
     */
    private void noticeLeadershipChange() {
        NodeId leader = core.leaderId();
        if (core.role() == lastRole && core.currentTerm() == lastTerm && java.util.Objects.equals(leader, lastLeader)) {
            return;
        }
        log.info("{}: {} in term {}, leader {}", id, core.role(), core.currentTerm(), leader == null ? "unknown" : leader);
        lastRole = core.role();
        lastTerm = core.currentTerm();
        lastLeader = leader;
        forwarded.entrySet().removeIf(e -> {
            if (!e.getValue().leader().equals(leader)) {
                e.getValue().future().completeExceptionally(new RaftNodeException.UnknownOutcome(
                        "the leader changed from " + e.getValue().leader() + " before answering a forwarded command"));
                return true;
            }
            return false;
        });
    }

    private long deadline() {
        return System.nanoTime() + config.proposalTimeout().toNanos();
    }

    private void expire(long now) {
        proposals.expire(now);
        reads.entrySet().removeIf(e -> {
            if (now - e.getValue().deadlineNanos() > 0) {
                e.getValue().future().completeExceptionally(new RaftNodeException.NotLeader(
                        "timed out confirming leadership for the read; retry", leaderName()));
                return true;
            }
            return false;
        });
        forwarded.entrySet().removeIf(e -> {
            if (now - e.getValue().deadlineNanos() > 0) {
                e.getValue().future().completeExceptionally(new RaftNodeException.UnknownOutcome(
                        "timed out waiting for the leader to apply the forwarded command"));
                return true;
            }
            return false;
        });
    }

    private void failEverything(RaftNodeException reason) {
        proposals.failAll(reason);
        membership.failAll(reason);
        reads.values().forEach(r -> r.future().completeExceptionally(reason));
        reads.clear();
        forwarded.values().forEach(f -> f.future().completeExceptionally(reason));
        forwarded.clear();
        Runnable event;
        while ((event = inbox.poll()) != null) {
            try {
                event.run();
            } catch (RuntimeException e) {
                log.debug("{}: event failed during shutdown: {}", id, e.toString());
            }
        }
    }

    private String leaderName() {
        NodeId leader = core.leaderId();
        return leader == null ? null : leader.value();
    }

    private NodeStatus snapshotStatus() {
        long now = System.nanoTime();
        Map<NodeId, Long> contact = new HashMap<>();
        if (core.role() == io.raftkv.core.RaftRole.LEADER) {
            for (NodeId peer : core.matchIndexes().keySet()) {
                Long last = lastContactNanos.get(peer);
                contact.put(peer, last == null ? -1L : (now - last) / 1_000_000L);
            }
        }
        LocalSnapshot snapshot = core.latestSnapshot();
        return new NodeStatus(id, core.role(), core.currentTerm(), core.leaderId(), core.log().commitIndex(),
                applier.appliedIndex(), core.log().lastIndex(),
                snapshot == null ? 0 : snapshot.metadata().lastIncludedIndex(), core.matchIndexes(), contact,
                core.clusterConfig().voters(), core.clusterConfig().learners(), core.clusterConfig().addresses());
    }
}
