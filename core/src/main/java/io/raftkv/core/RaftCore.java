package io.raftkv.core;

import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.MessageVisitor;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.ReadIndexResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The Raft consensus algorithm for one server, as a pure deterministic state machine: no I/O, no
 * threads, no clock, no randomness of its own. It is driven by {@link #tick()}, {@link #step},
 * {@link #propose} and {@link #readIndex}, and tells its driver what to do through {@link Ready}
 * (whose Javadoc states the persist-send-apply contract).
 *
 * <p>Sources: the paper (Ongaro and Ousterhout 2014), Figure 2 for every rule, §5.2 elections,
 * §5.3 replication, §5.4 safety; the thesis (Ongaro 2014) §9.6 pre-vote, §6.2 and §4.2.3 check-quorum
 * and disruptive servers, §6.4 ReadIndex, §10.2.1 the leader's parallel disk write, ch. 4 membership
 * changes ({@link #proposeConfigChange}; the rules in {@link MembershipChanges}, the configurations in
 * {@link Configurations}, catch-up in {@link CatchUpRounds}), §3.10 leadership transfer
 * ({@link #transferLeadership}, {@link LeadershipTransfer}).
 *
 * <p>Deliberate departures from the paper, each from the thesis or common practice:
 * liveness heartbeats are their own message kind (they never carry entries, so they never wait
 * behind a large batch); followers reply to a stale-term AppendEntries so a deposed leader learns the
 * new term; with check-quorum on, a server that heard from a leader within the election timeout
 * ignores vote requests (thesis §4.2.3), except a leadership transfer's. Membership: a removed
 * server is replicated to until its removal commits, so it learns of it; a server removed by an
 * uncommitted entry still campaigns while it is a voter of the committed configuration; a leader
 * that removed itself hands over with a TimeoutNow when it steps down.
 *
 * <p>Not thread-safe: one thread owns a core.
 */
public final class RaftCore {
    private final RaftConfig config;
    private final NodeId id;
    private final RandomGenerator random;
    private final SafetyRules rules;
    private final RaftLog log;
    private final ReadIndexQueue reads = new ReadIndexQueue();
    private final MessageHandler handler = new MessageHandler();

    /** The configuration in force and the ones it replaced (thesis §4.1). */
    private final Configurations membership;
    /** The newest snapshot durable here, sent to followers whose entries are compacted; or null. */
    private LocalSnapshot latestSnapshot;
    /** A snapshot being received from the leader; null when none. Followers and learners only. */
    private IncomingSnapshot incomingSnapshot;

    // Persistent state (paper Figure 2); durable once the Ready that carries it is.
    private long currentTerm;
    private NodeId votedFor;

    // Volatile state.
    private RaftRole role;
    private NodeId leaderId;
    /** Ticks since the last election timeout reset (followers, candidates) or check-quorum (leader). */
    private int electionElapsed;
    /** Ticks since the leader's last heartbeat broadcast. Leader only. */
    private int heartbeatElapsed;
    /** Current randomized election timeout in {@code [electionTicks, 2 * electionTicks)} (paper §5.2). */
    private int randomizedElectionTimeout;
    /** Votes (or pre-votes) received in the current campaign, by voter. Candidates only. */
    private final Map<NodeId, Boolean> votes = new HashMap<>();
    /** Replication state per other member. Leader only. */
    private final Map<NodeId, Progress> progress = new LinkedHashMap<>();
    /** A leadership transfer in progress, or null. Leader only (thesis §3.10). */
    private LeadershipTransfer transfer;
    /** Leader only: its lease for lease reads (thesis §6.4.1). */
    private final LeaderLease lease = new LeaderLease();
    /** Reads forwarded to the leader and not yet answered. Followers and learners only. */
    private final Set<Long> forwardedReads = new LinkedHashSet<>();

    // Outputs accumulated for the next Ready.
    private final List<RaftMessage> messages = new ArrayList<>();
    private final List<RaftMessage> messagesAfterPersist = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private final List<Long> droppedReads = new ArrayList<>();
    private final List<SnapshotChunk> snapshotChunks = new ArrayList<>();
    private SnapshotMetadata snapshotToInstall;
    private boolean appendBroadcastPending;
    /**
     * Leader only: the commit index rose since the last broadcast, so every follower gets an
     * AppendEntries (empty if it has nothing new) when the driver takes the next Ready, together
     * with the entries proposed in the same turn: one message per follower and turn, not two.
     */
    private boolean commitNoticePending;
    /**
     * The hard state last handed out in a Ready. Its term and vote are always current once handed
     * out; its commit index may lag, because a rise of the commit index alone is not persisted (see
     * {@link #ready()}).
     */
    private HardState handedOutHardState;
    /** A tick saw the commit index ahead of {@link #handedOutHardState}'s. */
    private boolean commitLagSeen;
    /** The commit index lagged for a whole tick with no entries to ride on: hand it out on its own. */
    private boolean commitPersistDue;
    private SoftState handedOutSoftState;
    private long readySequence;
    /** The highest term the driver has made durable: recovered, or in a Ready it advanced. */
    private long durableTerm;
    /** Candidates only: the term this candidate won, waiting for its own vote to be durable; 0 if none. */
    private long wonTermAwaitingPersist;
    /** Ticks since this core started; the leader's clock for leases. */
    private long tickCount;
    /** Started from durable state (not a brand-new server). */
    private final boolean restarted;
    private long nextSequenceToAdvance = 1;

    /** Creates a core with the standard safety rules. */
    public RaftCore(RaftConfig config, RandomGenerator random, InitialState initial) {
        this(config, random, initial, SafetyRules.STANDARD);
    }

    /** For the simulator's own tests, which prove that broken rules get caught. */
    RaftCore(RaftConfig config, RandomGenerator random, InitialState initial, SafetyRules rules) {
        this.config = Objects.requireNonNull(config, "config");
        this.id = config.id();
        this.random = Objects.requireNonNull(random, "random");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.latestSnapshot = initial.snapshot();
        this.log = new RaftLog(latestSnapshot == null ? null : latestSnapshot.metadata(), initial.log(),
                initial.hardState().commitIndex());
        this.restarted = initial.hardState().currentTerm() > 0 || !initial.log().isEmpty() || initial.snapshot() != null;
        this.currentTerm = initial.hardState().currentTerm();
        this.votedFor = initial.hardState().votedFor();
        this.handedOutHardState = initial.hardState();
        this.durableTerm = currentTerm;
        this.membership = new Configurations(log,
                latestSnapshot == null ? initial.bootstrapConfig() : latestSnapshot.metadata().config());
        this.role = membership.current().isVoter(id) ? RaftRole.FOLLOWER : RaftRole.LEARNER;
        this.handedOutSoftState = softState();
        resetRandomizedElectionTimeout();
    }

    // ---------------------------------------------------------------------------------------------
    // Inputs
    // ---------------------------------------------------------------------------------------------

    /** Advances logical time by one tick: election timeouts, heartbeats and check-quorum. */
    public void tick() {
        tickCount++;
        electionElapsed++;
        if (log.commitIndex() != handedOutHardState.commitIndex()) {
            // See ready(): the commit index rides along with entries; when none came for a whole
            // tick, it is persisted on its own, so the durable hint lags by at most two ticks.
            commitPersistDue = commitLagSeen;
            commitLagSeen = true;
        }
        if (role == RaftRole.LEADER) {
            tickLeader();
        } else if (electionElapsed >= randomizedElectionTimeout && isPromotable() && !installingSnapshot()) {
            electionElapsed = 0;
            startElection(config.preVote(), false);
        }
    }

    private void tickLeader() {
        heartbeatElapsed++;
        if (transfer != null && transfer.expired(tickCount, config.electionTicks())) {
            // Thesis §3.10: no new leader within an election timeout; abort and accept requests again.
            transfer = null;
        }
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum() && !checkQuorumActive()) {
                // R-ELECT-9 / thesis §6.2: a leader cut off from a majority steps down, so it cannot
                // keep serving as leader in a minority partition.
                becomeFollower(currentTerm, null);
                return;
            }
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            // Every heartbeat starts a round: its acknowledgements confirm pending reads and extend the lease.
            broadcastHeartbeat(reads.startRound(tickCount));
        }
    }

    /** True if a quorum of voters (this leader included) was heard from this period; resets the marks. */
    private boolean checkQuorumActive() {
        Set<NodeId> active = new HashSet<>();
        active.add(id);
        for (Map.Entry<NodeId, Progress> e : progress.entrySet()) {
            if (e.getValue().recentActive) {
                active.add(e.getKey());
            }
            e.getValue().recentActive = false;
        }
        return membership.current().hasQuorum(active);
    }

    /** Handles one message from a peer. Messages for another server are a driver bug. */
    public void step(RaftMessage message) {
        if (!message.to().equals(id)) {
            throw new IllegalArgumentException("message for " + message.to() + " stepped into " + id);
        }
        if (message.term() > currentTerm) {
            if (!acceptHigherTerm(message)) {
                return;
            }
        } else if (message.term() < currentTerm) {
            answerStaleTerm(message);
            return;
        }
        message.accept(handler);
    }

    /**
     * Paper §5.1: "if one server's current term is smaller than the other's, it updates its current
     * term"; returns false if the message is to be ignored instead.
     */
    private boolean acceptHigherTerm(RaftMessage message) {
        if (message instanceof RequestVoteRequest vote) {
            if (inLeaderLease() && !vote.leadershipTransfer()) {
                // Thesis §4.2.3: a server that heard from a current leader within the minimum election
                // timeout neither updates its term nor grants a vote, so a removed or partitioned
                // server cannot depose a healthy leader; except in an election the leader itself asked
                // for by transferring leadership (thesis §3.10), which also voids its lease.
                return false;
            }
            if (vote.preVote()) {
                return true; // a pre-vote never changes the receiver's state (thesis §9.6)
            }
            becomeFollower(message.term(), null);
            return true;
        }
        if (message instanceof RequestVoteResponse vote && vote.preVote() && vote.voteGranted()) {
            return true; // carries the term we would campaign in, not a newer leader's term
        }
        boolean fromLeader = message instanceof AppendEntriesRequest || message instanceof HeartbeatRequest
                || message instanceof TimeoutNow;
        becomeFollower(message.term(), fromLeader ? message.from() : null);
        return true;
    }

    private boolean inLeaderLease() {
        return config.checkQuorum() && (heardFromLeaderRecently() || restartedRecently());
    }

    /**
     * A server that restarts with durable state may have acknowledged a leader's heartbeat just
     * before it went down, and that acknowledgement may hold up the leader's lease (thesis §6.4.1).
     * It has forgotten when it heard from the leader, so for one election timeout after starting it
     * behaves as if it just had: it grants no votes.
     */
    private boolean restartedRecently() {
        return config.leaseReads() && restarted && tickCount < config.electionTicks();
    }

    /** Heard from a current leader (or is the leader) within the minimum election timeout (thesis §9.6). */
    private boolean heardFromLeaderRecently() {
        return leaderId != null && electionElapsed < config.electionTicks();
    }

    /** Paper §5.1: "if a server receives a request with a stale term number, it rejects the request." */
    private void answerStaleTerm(RaftMessage message) {
        if (message instanceof AppendEntriesRequest || message instanceof HeartbeatRequest) {
            // A deposed leader learns the new term from this answer and steps down (§5.1).
            send(AppendEntriesResponse.rejected(currentTerm, id, message.from(), 0, 0, 0));
        } else if (message instanceof RequestVoteRequest request) {
            send(new RequestVoteResponse(currentTerm, id, message.from(), false, request.preVote()));
        } else if (message instanceof InstallSnapshotRequest request) {
            // Figure 13 step 1: "reply immediately if term < currentTerm", so the sender steps down (§5.1).
            send(new InstallSnapshotResponse(currentTerm, id, message.from(), request.lastIncludedIndex(), 0, false));
        }
        // Stale responses are ignored.
    }

    /**
     * Proposes a client command; only a leader accepts. The command is appended to the leader's log
     * and replicated with the next Ready.
     */
    public ProposeResult propose(byte[] command) {
        return appendNew(EntryType.NORMAL, command);
    }

    private ProposeResult appendNew(EntryType type, byte[] data) {
        if (role != RaftRole.LEADER) {
            return new ProposeResult.NotLeader(leaderId);
        }
        if (transfer != null) {
            return new ProposeResult.TransferInProgress(transfer.target); // thesis §3.10 step 1
        }
        LogEntry entry = new LogEntry(log.lastIndex() + 1, currentTerm, type, data);
        log.append(entry);
        if (membership.appended(entry)) {
            configurationChanged(); // in force as soon as appended, on the leader too (thesis §4.1)
        }
        appendBroadcastPending = true; // batched: sent when the driver takes the next Ready
        return new ProposeResult.Accepted(entry.index(), entry.term());
    }

    /**
     * Proposes a single-server membership change (thesis ch. 4, R-MEMB-1..3); only a leader accepts.
     * The change is a CONFIG entry, in force on each server as soon as it is appended there; it is
     * done when that entry is committed ({@link ProposeResult.Accepted}, as for a command). A change
     * is refused, with nothing appended, while another is uncommitted, before this leader committed an
     * entry of its term, or while it transfers leadership; promoting a learner is refused until it
     * has caught up ({@link #peerStatus()}); see {@link ProposeResult.Reason}. A change already in
     * effect in the committed configuration is {@link ProposeResult.AlreadyDone}.
     *
     * <p>A leader may remove itself (thesis §4.2.2): it keeps leading, without counting itself, until
     * the change is committed, then steps down and hands leadership to an up-to-date voter.
     */
    public ProposeResult proposeConfigChange(ConfigChange change) {
        Objects.requireNonNull(change, "change");
        if (role != RaftRole.LEADER) {
            return new ProposeResult.NotLeader(leaderId);
        }
        if (transfer != null) {
            return new ProposeResult.TransferInProgress(transfer.target);
        }
        Optional<ProposeResult> refusal = MembershipChanges.refusal(change, membership.current(),
                membership.pending(), log.term(log.commitIndex()) == currentTerm, this::caughtUp, rules);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        return appendNew(EntryType.CONFIG, change.applyTo(membership.current()).encode());
    }

    /**
     * Starts handing leadership to the voter {@code target} (thesis §3.10, R-ELECT-10): this leader
     * stops accepting proposals and configuration changes ({@link ProposeResult.TransferInProgress}),
     * brings the target's log up to date, then sends it a {@link TimeoutNow}, on which the target
     * campaigns at once. See {@link TransferResult} for how a transfer ends. The leader also gives up
     * lease reads for the rest of its term, since voters may now vote despite hearing from it.
     */
    public TransferResult transferLeadership(NodeId target) {
        Objects.requireNonNull(target, "target");
        if (role != RaftRole.LEADER) {
            return new TransferResult.NotLeader(leaderId);
        }
        if (target.equals(id)) {
            return new TransferResult.AlreadyLeader();
        }
        if (!membership.current().isVoter(target)) {
            return new TransferResult.TargetNotVoter(target);
        }
        if (transfer != null) {
            return transfer.target.equals(target) ? new TransferResult.Started(target)
                    : new TransferResult.TransferInProgress(transfer.target);
        }
        transfer = new LeadershipTransfer(target, tickCount);
        lease.forfeit();
        maybeSendTimeoutNow(target, false);
        sendAppend(target, false); // bring its log up to date; the TimeoutNow follows once it is
        return new TransferResult.Started(target);
    }

    /** Leader: sends the transfer's target its TimeoutNow once it holds the whole log (thesis §3.10). */
    private void maybeSendTimeoutNow(NodeId peer, boolean resend) {
        if (role != RaftRole.LEADER || transfer == null || !transfer.target.equals(peer)) {
            return;
        }
        Progress pr = progress.get(peer);
        if (pr != null && transfer.shouldSendTimeoutNow(pr.matchIndex, log.lastIndex(), resend)) {
            transfer.timeoutNowSent();
            send(new TimeoutNow(currentTerm, id, peer));
        }
    }

    /**
     * The configuration in force changed (an entry appended or deleted, a snapshot installed): a
     * follower becomes a learner when it is no voter any more, and the other way round; a leader
     * replicates to the new members at once (thesis §4.1). A removed server keeps receiving entries,
     * counting for nothing, until its removal commits ({@link #maybeCommit}), so that it learns it
     * was removed and stops campaigning (thesis §4.2.3).
     */
    private void configurationChanged() {
        ClusterConfig members = membership.current();
        if (role == RaftRole.FOLLOWER || role == RaftRole.LEARNER) {
            role = members.isVoter(id) ? RaftRole.FOLLOWER : RaftRole.LEARNER;
        }
        if (role != RaftRole.LEADER) {
            return;
        }
        for (NodeId member : members.members()) {
            if (!member.equals(id) && !progress.containsKey(member)) {
                // The first probe carries the configuration entry; a new server's empty log makes it back off.
                progress.put(member, new Progress(Math.max(1, membership.currentIndex()), config.maxInflightAppends()));
            }
        }
        if (transfer != null && !members.isVoter(transfer.target)) {
            transfer = null;
        }
    }

    /**
     * Thesis §4.2.2: a leader that removed itself steps down once the new configuration is committed.
     * It hands leadership straight to a voter that holds its whole log (thesis §3.10), so the cluster
     * need not wait an election timeout for a new leader.
     */
    private void stepDownAfterRemoval() {
        NodeId successor = null;
        long best = -1;
        for (NodeId voter : membership.current().voters()) {
            Progress pr = progress.get(voter);
            if (pr != null && pr.matchIndex > best) {
                best = pr.matchIndex;
                successor = voter;
            }
        }
        if (successor != null && best >= log.lastIndex()) {
            send(new TimeoutNow(currentTerm, id, successor));
        }
        becomeFollower(currentTerm, null);
    }

    /**
     * Asks for a linearizable read (thesis §6.4). The answer arrives in a later Ready: a
     * {@link ReadState} with this id, or the id in {@link Ready#droppedReads()} if it cannot be served
     * (no known leader, leadership lost); the driver then fails the read with a retryable error.
     * Ids must be unique per server for as long as the read is pending.
     */
    public void readIndex(long requestId) {
        if (role == RaftRole.LEADER) {
            leaderReadIndex(requestId, id);
        } else if (leaderId != null) {
            forwardedReads.add(requestId);
            send(new ReadIndexRequest(currentTerm, id, leaderId, requestId));
        } else {
            droppedReads.add(requestId);
        }
    }

    private void leaderReadIndex(long requestId, NodeId origin) {
        if (log.term(log.commitIndex()) != currentTerm) {
            reads.addAwaitingLeaderCommit(requestId, origin);
        } else if (membership.current().voters().size() == 1 && membership.current().isVoter(id)) {
            answerRead(new ReadIndexQueue.PendingRead(requestId, origin, log.commitIndex(), 0));
        } else {
            reads.add(requestId, origin, log.commitIndex());
        }
    }

    private void answerRead(ReadIndexQueue.PendingRead read) {
        if (read.origin().equals(id)) {
            readStates.add(new ReadState(read.requestId(), read.readIndex()));
        } else {
            send(new ReadIndexResponse(currentTerm, id, read.origin(), read.requestId(), read.readIndex()));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Outputs
    // ---------------------------------------------------------------------------------------------

    /** True if {@link #ready()} would return something to do. */
    public boolean hasReady() {
        return !messages.isEmpty() || !messagesAfterPersist.isEmpty() || !readStates.isEmpty()
                || !droppedReads.isEmpty() || !snapshotChunks.isEmpty() || snapshotToInstall != null
                || appendBroadcastPending || commitNoticePending || reads.roundRequested()
                || log.hasUnpersisted() || log.hasCommittedToApply() || hardStateChanged() || softStateChanged()
                || commitPersistDue;
    }

    /**
     * Whether the term or vote changed since the last hard state handed out: only these must be
     * durable before messages that depend on them leave (paper Figure 2). A rising commit index
     * alone is no reason for a Ready (see {@link #ready()}); its committed entries are, through
     * {@code log.hasCommittedToApply()}. Compared field by field: hasReady runs after every input,
     * so it builds no records.
     */
    private boolean hardStateChanged() {
        return currentTerm != handedOutHardState.currentTerm() || !Objects.equals(votedFor, handedOutHardState.votedFor());
    }

    private boolean softStateChanged() {
        return role != handedOutSoftState.role() || !Objects.equals(leaderId, handedOutSoftState.leaderId());
    }

    /** Takes everything the driver has to do now; see {@link Ready} for the contract. */
    public Ready ready() {
        flushBatchedSends();
        handedOutSoftState = softState();
        List<LogEntry> entries = log.takeUnpersisted();
        // The hard state goes into the Ready when the term or vote changed, which must be durable
        // before the messages that depend on them (paper Figure 2), or when the Ready has entries or
        // snapshot chunks to persist anyway, so that a newer commit index rides along for free. A
        // rise of the commit index alone is never a reason to write and fsync: Figure 2 lists
        // commitIndex as volatile state ("initialized to 0, increases monotonically"); the durable
        // copy is only a hint that lets a restarted server re-apply before it hears from a leader.
        // Safety never rests on it: a committed entry is durable on a majority (§5.3, §5.4), a
        // server that restarts with a lower commit index learns the commit index again from the
        // leader (§5.3, AppendEntries rule 5), and recovery takes at least the snapshot's last
        // index (RaftLog). This is what lets committed entries be applied as soon as they are
        // committed, without a second fsync on the leader and on every follower per write; etcd's
        // raft does the same (MustSync: only entries, term or vote need a sync). So that the hint
        // stays useful when writes stop, a commit index that lagged for a whole tick with nothing
        // to ride on is persisted on its own (see tick()); under load that never happens.
        HardState hardState = hardState();
        boolean commitRides = hardState.commitIndex() != handedOutHardState.commitIndex()
                && (!entries.isEmpty() || !snapshotChunks.isEmpty() || commitPersistDue);
        HardState toPersist = hardStateChanged() || commitRides ? hardState : null;
        if (toPersist != null) {
            handedOutHardState = toPersist;
            commitLagSeen = false;
        }
        commitPersistDue = false;
        Ready ready = new Ready(++readySequence, handedOutSoftState, toPersist, entries, messages,
                messagesAfterPersist, log.takeCommittedToApply(), readStates, droppedReads, snapshotChunks,
                snapshotToInstall);
        messages.clear();
        messagesAfterPersist.clear();
        readStates.clear();
        droppedReads.clear();
        snapshotChunks.clear();
        snapshotToInstall = null;
        ReadyContract.verify(ready, id, handedOutHardState, log.handedOutIndex(), rules);
        log.checkInvariants();
        return ready;
    }

    /** Sends what was batched during this turn: appends for new proposals and a ReadIndex round. */
    private void flushBatchedSends() {
        if (role != RaftRole.LEADER) {
            appendBroadcastPending = false;
            commitNoticePending = false;
            return;
        }
        if (appendBroadcastPending || commitNoticePending) {
            boolean allowEmpty = commitNoticePending;
            appendBroadcastPending = false;
            commitNoticePending = false;
            for (NodeId peer : progress.keySet()) {
                sendAppend(peer, allowEmpty);
            }
        }
        if (reads.roundRequested()) {
            broadcastHeartbeat(reads.startRound(tickCount));
        }
    }

    /**
     * The driver has carried out {@code ready}: persisted it, sent its messages and applied its
     * committed entries. Readies must be advanced in the order they were taken.
     */
    public void advance(Ready ready) {
        if (ready.sequence() != nextSequenceToAdvance) {
            throw new IllegalStateException("advance of Ready " + ready.sequence() + " but Ready "
                    + nextSequenceToAdvance + " comes first");
        }
        nextSequenceToAdvance++;
        if (ready.hardState() != null) {
            durableTerm = Math.max(durableTerm, ready.hardState().currentTerm());
            if (role == RaftRole.CANDIDATE && wonTermAwaitingPersist == currentTerm && durableTerm >= currentTerm) {
                becomeLeader();
            }
        }
        if (!ready.entriesToPersist().isEmpty()) {
            LogEntry last = ready.entriesToPersist().get(ready.entriesToPersist().size() - 1);
            log.persistedTo(last.index(), last.term());
        }
        if (!ready.committedEntries().isEmpty()) {
            log.appliedTo(ready.lastCommittedIndex());
        }
        if (ready.snapshotToInstall() != null) {
            finishSnapshotInstall(ready.snapshotToInstall());
        }
        if (role == RaftRole.LEADER) {
            // The leader counts itself only for entries durable on its own disk (thesis §10.2.1).
            maybeCommit();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Elections (paper §5.2, thesis §9.6)
    // ---------------------------------------------------------------------------------------------

    /**
     * While a received snapshot is being installed the server does not campaign: the install must
     * land on a log whose commit index is still below the snapshot.
     */
    private boolean installingSnapshot() {
        return incomingSnapshot != null && incomingSnapshot.installPending;
    }

    /**
     * Voters campaign; learners and servers outside the configuration do not. One exception: a
     * server removed (or never promoted) by a configuration entry that is not committed yet may
     * still be needed, since the voters of the committed configuration may need its vote and its
     * log. A leader that removed itself and lost leadership before the change committed is one
     * (thesis §4.2.2). Such a server campaigns while it is a voter of its latest committed
     * configuration, counting votes in its latest one as every candidate does; a leader outside its
     * configuration steps down once that commits.
     */
    private boolean isPromotable() {
        return membership.current().isVoter(id)
                || membership.pending() && membership.at(log.commitIndex()).isVoter(id);
    }

    /** Paper §5.2, thesis §9.6; {@code leadershipTransfer}: started by the leader's TimeoutNow (thesis §3.10). */
    private void startElection(boolean preVote, boolean leadershipTransfer) {
        if (preVote) {
            becomePreCandidate();
        } else {
            becomeCandidate();
        }
        long term = preVote ? currentTerm + 1 : currentTerm;
        votes.put(id, true);
        if (membership.current().hasQuorum(grantedVoters())) {
            if (preVote) {
                winCampaign(true);
            } else {
                // A single voter wins on its own vote, before its term and vote are durable. It leads
                // once they are (advance): a server must never lead a term twice, and one whose term
                // was lost in a crash could win it again (paper Figure 2: persist before acting). With
                // other voters this holds already: vote requests leave only after persisting.
                wonTermAwaitingPersist = currentTerm;
            }
            return;
        }
        for (NodeId voter : membership.current().voters()) {
            if (!voter.equals(id)) {
                send(new RequestVoteRequest(term, id, voter, log.lastIndex(), log.lastTerm(), preVote,
                        leadershipTransfer));
            }
        }
    }

    private void winCampaign(boolean preVote) {
        if (preVote) {
            startElection(false, false);
        } else {
            becomeLeader();
        }
    }

    private List<NodeId> grantedVoters() {
        List<NodeId> granted = new ArrayList<>();
        votes.forEach((voter, grantedVote) -> {
            if (grantedVote) {
                granted.add(voter);
            }
        });
        return granted;
    }

    private int rejectedVotes() {
        int rejected = 0;
        for (Map.Entry<NodeId, Boolean> e : votes.entrySet()) {
            if (!e.getValue() && membership.current().isVoter(e.getKey())) {
                rejected++;
            }
        }
        return rejected;
    }

    private void becomeFollower(long term, NodeId leader) {
        // A read index from another leader, or from the same server in an earlier term, could be
        // stale for the leader now in charge: fail such reads and let clients retry (thesis §6.4).
        boolean leaderChanged = !Objects.equals(leaderId, leader) || term > currentTerm;
        if (term > currentTerm) {
            currentTerm = term;
            votedFor = null;
        }
        leaveLeadership();
        role = membership.current().isVoter(id) ? RaftRole.FOLLOWER : RaftRole.LEARNER;
        leaderId = leader;
        electionElapsed = 0;
        votes.clear();
        resetRandomizedElectionTimeout();
        if (leaderChanged) {
            dropForwardedReads();
        }
    }

    private void becomePreCandidate() {
        // Thesis §9.6: the term does not change and no vote is cast.
        leaveLeadership();
        role = RaftRole.PRE_CANDIDATE;
        leaderId = null;
        votes.clear();
        resetRandomizedElectionTimeout();
        dropForwardedReads();
    }

    private void becomeCandidate() {
        // Paper §5.2: "increment currentTerm, vote for self, reset election timer".
        leaveLeadership();
        currentTerm++;
        votedFor = id;
        role = RaftRole.CANDIDATE;
        leaderId = null;
        electionElapsed = 0;
        votes.clear();
        resetRandomizedElectionTimeout();
        dropForwardedReads();
    }

    private void becomeLeader() {
        role = RaftRole.LEADER;
        leaderId = id;
        wonTermAwaitingPersist = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        votes.clear();
        progress.clear();
        transfer = null;
        lease.reset();
        for (NodeId member : membership.current().members()) {
            if (!member.equals(id)) {
                progress.put(member, new Progress(log.lastIndex() + 1, config.maxInflightAppends()));
            }
        }
        // R-ELECT-7: a no-op of the new term lets earlier-term entries commit (§5.4.2) and lets the
        // leader learn its commit index before serving reads (§8).
        appendNew(EntryType.NO_OP, null);
    }

    /** Clears what only a leader holds; pending reads fail so clients can retry elsewhere. */
    private void leaveLeadership() {
        if (role != RaftRole.LEADER) {
            return;
        }
        for (ReadIndexQueue.PendingRead read : reads.clear()) {
            if (read.origin().equals(id)) {
                droppedReads.add(read.requestId());
            }
        }
        progress.clear();
        appendBroadcastPending = false;
        commitNoticePending = false;
        lease.reset();
        transfer = null;
    }

    private void dropForwardedReads() {
        droppedReads.addAll(forwardedReads);
        forwardedReads.clear();
    }

    private void resetRandomizedElectionTimeout() {
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    // ---------------------------------------------------------------------------------------------
    // Replication (paper §5.3, §5.4)
    // ---------------------------------------------------------------------------------------------

    /**
     * Sends the follower the entries from its nextIndex, unless its progress is paused. Returns
     * whether a message was sent. With {@code allowEmpty}, sends even when there are no new entries
     * (to carry a new commit index or probe the follower's log).
     */
    private boolean sendAppend(NodeId peer, boolean allowEmpty) {
        Progress pr = progress.get(peer);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        long prevIndex = pr.nextIndex - 1;
        if (pr.state == ProgressState.SNAPSHOT || prevIndex < log.firstIndex() - 1) {
            return sendSnapshotChunk(peer, pr);
        }
        List<LogEntry> entries = log.slice(pr.nextIndex, config.maxEntriesPerAppend(), config.maxBytesPerAppend());
        if (entries.isEmpty() && !allowEmpty) {
            return false;
        }
        send(new AppendEntriesRequest(currentTerm, id, peer, prevIndex, log.term(prevIndex), entries,
                log.commitIndex()));
        if (!entries.isEmpty()) {
            pr.catchUp.onSend(pr.matchIndex, log.lastIndex(), tickCount);
        }
        if (pr.state == ProgressState.PROBE) {
            pr.probeSent = true;
        } else if (!entries.isEmpty()) {
            long last = entries.get(entries.size() - 1).index();
            pr.nextIndex = last + 1; // optimistic: pipelined under the in-flight window (R-LOG-7)
            pr.inflights.add(last);
        }
        return true;
    }

    /**
     * Paper §7: the entries this follower needs are compacted, so it gets the latest snapshot instead,
     * one chunk at a time (a lost chunk is resent from the offset the follower reports).
     */
    private boolean sendSnapshotChunk(NodeId peer, Progress pr) {
        if (pr.state != ProgressState.SNAPSHOT) {
            if (latestSnapshot == null || latestSnapshot.metadata().lastIncludedIndex() < log.firstIndex() - 1) {
                // Sending an older snapshot could never let the follower catch up: its next entries
                // would still be compacted. Only an installed snapshot left unregistered gets here.
                throw new IllegalStateException("entries before " + log.firstIndex() + " are compacted but no"
                        + " registered snapshot covers them (register an installed snapshot with snapshotSaved)");
            }
            pr.becomeSnapshot(latestSnapshot);
            pr.catchUp.onSend(pr.matchIndex, log.lastIndex(), tickCount);
        }
        byte[] data;
        try {
            data = pr.readSnapshotChunk(config.snapshotChunkBytes());
        } catch (RuntimeException e) {
            if (pr.snapshot == latestSnapshot) {
                throw e;
            }
            // The snapshot being sent was retired (a newer one replaced it): start over with the newest.
            pr.becomeSnapshot(latestSnapshot);
            data = pr.readSnapshotChunk(config.snapshotChunkBytes());
        }
        LocalSnapshot snapshot = pr.snapshot;
        SnapshotMetadata meta = snapshot.metadata();
        int length = data.length;
        boolean done = pr.snapshotOffset + length == snapshot.sizeBytes();
        send(new InstallSnapshotRequest(currentTerm, id, peer, meta.lastIncludedIndex(), meta.lastIncludedTerm(),
                meta.config(), snapshot.sizeBytes(), pr.snapshotOffset, data, done));
        pr.snapshotChunkSent = true;
        return true;
    }

    private void broadcastHeartbeat(long readRound) {
        for (Map.Entry<NodeId, Progress> e : progress.entrySet()) {
            long commit = Math.min(e.getValue().matchIndex, log.commitIndex());
            send(new HeartbeatRequest(currentTerm, id, e.getKey(), commit, readRound));
        }
    }

    /**
     * Paper §5.3 and §5.4.2: commit the highest index stored on a majority, but only by counting
     * replicas of an entry of the current term (Figure 8); earlier entries commit with it.
     * Returns whether commitIndex rose.
     */
    private boolean maybeCommit() {
        long candidate = rules.commitQuorum(membership.current()).quorumMatchIndex(voter -> {
            if (voter.equals(id)) {
                return log.persistedIndex();
            }
            Progress pr = progress.get(voter);
            return pr == null ? 0 : pr.matchIndex;
        });
        if (candidate <= log.commitIndex() || !rules.mayCommitByCounting(log.term(candidate), currentTerm)) {
            return false;
        }
        boolean firstCommitOfTerm = log.term(log.commitIndex()) != currentTerm;
        log.commitTo(candidate);
        if (firstCommitOfTerm && log.term(candidate) == currentTerm) {
            for (ReadIndexQueue.PendingRead read : reads.takeAwaitingLeaderCommit()) {
                leaderReadIndex(read.requestId(), read.origin());
            }
        }
        // Tell followers when the driver takes the next Ready (not a heartbeat later), so they can
        // apply and serve follower reads; batched with this turn's new entries (flushBatchedSends).
        commitNoticePending = true;
        if (!membership.pending()) {
            ClusterConfig members = membership.current();
            if (!members.isVoter(id)) {
                // Thesis §4.2.2: this leader's removal is committed; tell the others before stepping down.
                for (NodeId peer : progress.keySet()) {
                    sendAppend(peer, true);
                }
                commitNoticePending = false;
                stepDownAfterRemoval();
            } else if (progress.size() >= members.voters().size() + members.learners().size()) {
                progress.keySet().removeIf(peer -> !members.isMember(peer)); // their removal is committed
            }
        }
        return true;
    }

    private void send(RaftMessage message) {
        if (ReadyContract.mayLeaveBeforePersist(message, rules)) {
            messages.add(message);
        } else {
            messagesAfterPersist.add(message);
        }
    }

    /** Handlers for messages whose term equals currentTerm (or a pre-vote's proposed term). */
    private final class MessageHandler implements MessageVisitor<Void> {

        /** Paper Figure 2, RequestVote receiver rules; thesis §9.6 for pre-votes. */
        @Override
        public Void visit(RequestVoteRequest m) {
            // A pre-vote is granted to an up-to-date candidate of a later term, but only if this
            // server has not heard from a leader within the election timeout (thesis §9.6), whether
            // or not check-quorum's lease already made step() ignore the request (§4.2.3).
            // A real vote: at most one per term (§5.2), and none while following a known leader.
            // The configuration is not consulted (thesis §4.1): a learner asked for its vote may have
            // been promoted by an entry it has not received yet, and the candidate may need its vote;
            // candidates count only their own configuration's voters.
            boolean canVote = m.preVote()
                    ? m.term() > currentTerm && !heardFromLeaderRecently()
                    : m.from().equals(votedFor) || (votedFor == null && leaderId == null);
            // §5.4.1: grant only to a candidate whose log is at least as up-to-date.
            boolean grant = canVote && rules.grantsVoteTo(log, m.lastLogIndex(), m.lastLogTerm());
            if (grant && !m.preVote()) {
                votedFor = m.from();
                electionElapsed = 0; // R-ELECT-2: granting a vote resets the election timer
            }
            // A granted pre-vote answers with the proposed term so the pre-candidate counts it.
            long term = grant && m.preVote() ? m.term() : currentTerm;
            send(new RequestVoteResponse(term, id, m.from(), grant, m.preVote()));
            return null;
        }

        @Override
        public Void visit(RequestVoteResponse m) {
            boolean expected = m.preVote() ? role == RaftRole.PRE_CANDIDATE : role == RaftRole.CANDIDATE;
            if (!expected || !membership.current().isVoter(m.from())) {
                return null;
            }
            votes.putIfAbsent(m.from(), m.voteGranted());
            if (membership.current().hasQuorum(grantedVoters())) {
                winCampaign(m.preVote());
            } else if (rejectedVotes() >= membership.current().quorumSize()) {
                becomeFollower(currentTerm, null); // this campaign is lost; retry after a new timeout
            }
            return null;
        }

        /** Paper Figure 2, AppendEntries receiver rules. */
        @Override
        public Void visit(AppendEntriesRequest m) {
            acceptLeader(m.from());
            if (incomingSnapshot != null && incomingSnapshot.installPending) {
                return null; // the log is about to be replaced; the leader will retry (LESSONS: no appends during an install)
            }
            // Rule 2: reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm.
            if (!log.matches(m.prevLogIndex(), m.prevLogTerm())) {
                rejectAppend(m);
                return null;
            }
            // Rules 3 and 4: delete a conflicting suffix, append the entries not already held. Entries
            // that are held already are skipped, so a stale or duplicated request truncates nothing;
            // so are entries a snapshot covers here (committed, hence identical).
            for (LogEntry entry : m.entries()) {
                if (entry.index() < log.firstIndex()) {
                    continue;
                }
                long held = log.termOrMissing(entry.index());
                if (held == entry.term()) {
                    continue;
                }
                if (held != -1) {
                    log.truncateFrom(entry.index());
                    if (membership.truncatedFrom(entry.index())) {
                        // The configuration's entry was deleted: the previous one is in force again (thesis §4.1).
                        configurationChanged();
                    }
                }
                log.append(entry);
                if (membership.appended(entry)) {
                    configurationChanged(); // in force as soon as appended (thesis §4.1)
                }
            }
            // Rule 5: commitIndex = min(leaderCommit, index of last new entry).
            log.commitTo(Math.min(m.leaderCommit(), m.lastIndex()));
            send(AppendEntriesResponse.accepted(currentTerm, id, m.from(), m.lastIndex()));
            return null;
        }

        private void rejectAppend(AppendEntriesRequest m) {
            long conflictTerm;
            long conflictIndex;
            if (m.prevLogIndex() > log.lastIndex()) {
                conflictTerm = 0;
                conflictIndex = log.lastIndex() + 1;
            } else {
                conflictTerm = log.term(m.prevLogIndex());
                conflictIndex = log.firstIndexOfTermAt(m.prevLogIndex(), log.commitIndex() + 1);
            }
            send(AppendEntriesResponse.rejected(currentTerm, id, m.from(), m.prevLogIndex(), conflictTerm,
                    conflictIndex));
        }

        @Override
        public Void visit(AppendEntriesResponse m) {
            Progress pr = progress.get(m.from());
            if (role != RaftRole.LEADER || pr == null) {
                return null;
            }
            pr.heardFrom(tickCount);
            if (m.success()) {
                handleAppendSuccess(m.from(), pr, m.matchIndex());
            } else {
                handleAppendRejection(m.from(), pr, m);
            }
            return null;
        }

        private void handleAppendSuccess(NodeId peer, Progress pr, long matchIndex) {
            if (matchIndex > log.lastIndex()) {
                return; // cannot be an answer to this leader's request; ignore rather than trust it
            }
            if (pr.maybeUpdate(matchIndex, tickCount)) {
                if (pr.state == ProgressState.SNAPSHOT) {
                    if (matchIndex < log.firstIndex() - 1) {
                        return; // still needs the snapshot
                    }
                    pr.becomeProbe(matchIndex + 1);
                    pr.probeSent = false;
                } else if (pr.state == ProgressState.PROBE) {
                    pr.becomeReplicate();
                } else {
                    pr.inflights.freeTo(matchIndex);
                }
                maybeCommit();
            } else if (pr.state == ProgressState.PROBE) {
                pr.probeSent = false;
            }
            // Keep the pipeline full.
            while (sendAppend(peer, false)) {
                // sendAppend returns false once the window is full or nothing is left
            }
            maybeSendTimeoutNow(peer, false);
        }

        /** Paper §5.3: back off nextIndex using the follower's conflict hint, a whole term at a time. */
        private void handleAppendRejection(NodeId peer, Progress pr, AppendEntriesResponse m) {
            if (m.rejectedIndex() == 0 && m.conflictIndex() == 0 || pr.state == ProgressState.SNAPSHOT) {
                return; // an answer to a stale-term request, or to appends sent before the snapshot started
            }
            boolean stale = pr.state == ProgressState.REPLICATE
                    ? m.rejectedIndex() <= pr.matchIndex
                    : m.rejectedIndex() != pr.nextIndex - 1;
            if (stale) {
                return;
            }
            long next;
            if (m.conflictTerm() > 0) {
                long index = log.lastIndexWithTermAtMost(m.rejectedIndex(), m.conflictTerm());
                // Below the snapshot the term is unknown: fall back to the follower's index (then a snapshot).
                boolean known = index > 0 && index >= log.firstIndex() - 1;
                next = known && log.term(index) == m.conflictTerm() ? index + 1 : m.conflictIndex();
            } else {
                next = m.conflictIndex();
            }
            pr.becomeProbe(Math.min(next, m.rejectedIndex()));
            sendAppend(peer, true);
        }

        @Override
        public Void visit(HeartbeatRequest m) {
            acceptLeader(m.from());
            // The leader caps commitIndex at what it knows this follower holds, so it is in our log.
            if (incomingSnapshot == null || !incomingSnapshot.installPending) {
                log.commitTo(Math.min(m.commitIndex(), log.lastIndex()));
            }
            send(new HeartbeatResponse(currentTerm, id, m.from(), m.readRound()));
            return null;
        }

        @Override
        public Void visit(HeartbeatResponse m) {
            Progress pr = progress.get(m.from());
            if (role != RaftRole.LEADER || pr == null) {
                return null;
            }
            pr.heardFrom(tickCount);
            pr.probeSent = false; // a lost probe is retried once per heartbeat
            if (pr.state == ProgressState.REPLICATE && pr.matchIndex < log.lastIndex()
                    && pr.matchIndex == pr.matchAtLastHeartbeat) {
                // No acknowledgement for a whole heartbeat interval although entries are outstanding:
                // requests or responses were lost. Resume from what the follower is known to hold.
                pr.becomeProbe(pr.matchIndex + 1);
            }
            pr.matchAtLastHeartbeat = pr.matchIndex;
            if (pr.state == ProgressState.SNAPSHOT) {
                if (pr.snapshotOffset == pr.snapshotOffsetAtLastHeartbeat) {
                    pr.snapshotChunkSent = false; // the chunk or its answer was lost: resend it
                }
                pr.snapshotOffsetAtLastHeartbeat = pr.snapshotOffset;
            }
            if (pr.matchIndex < log.lastIndex()) {
                sendAppend(m.from(), false);
            }
            maybeSendTimeoutNow(m.from(), true);
            if (membership.current().isVoter(m.from()) && m.readRound() > pr.ackedReadRound) {
                pr.ackedReadRound = m.readRound();
                long confirmedRound = quorumAckedRound();
                if (config.checkQuorum()) {
                    lease.extend(reads.sentTick(confirmedRound), config.electionTicks(), config.leaseDriftMarginTicks());
                }
                for (ReadIndexQueue.PendingRead read : reads.takeConfirmed(confirmedRound)) {
                    answerRead(read);
                }
            }
            return null;
        }

        @Override
        public Void visit(ReadIndexRequest m) {
            if (role == RaftRole.LEADER) {
                leaderReadIndex(m.requestId(), m.from());
            }
            return null; // a non-leader drops it; the requester fails the read on its own timeout
        }

        /** Paper Figure 13, InstallSnapshot receiver rules, one chunk at a time. */
        @Override
        public Void visit(InstallSnapshotRequest m) {
            acceptLeader(m.from());
            SnapshotMetadata meta = new SnapshotMetadata(m.lastIncludedIndex(), m.lastIncludedTerm(), m.config());
            if (m.lastIncludedIndex() <= log.commitIndex() && (incomingSnapshot == null || !incomingSnapshot.installPending)) {
                // Everything it covers is committed here already, hence identical to the leader's log.
                send(new InstallSnapshotResponse(currentTerm, id, m.from(), log.commitIndex(), m.totalBytes(), true));
                return null;
            }
            IncomingSnapshot incoming = incomingSnapshot;
            if (incoming != null && incoming.installPending) {
                return null; // the complete snapshot is being installed; its answer follows
            }
            // A transfer continues only within the term (so from the leader) it started in: two servers'
            // files of one snapshot need not be byte-identical, and spliced they would encode neither.
            if (incoming == null || !incoming.metadata.equals(meta) || incoming.totalBytes != m.totalBytes()
                    || incoming.term != currentTerm) {
                if (m.offset() != 0) {
                    send(new InstallSnapshotResponse(currentTerm, id, m.from(), m.lastIncludedIndex(), 0, false));
                    return null;
                }
                incoming = new IncomingSnapshot(meta, m.totalBytes(), currentTerm); // replaces an older transfer
                incomingSnapshot = incoming;
            }
            if (m.offset() != incoming.nextOffset) {
                // A duplicate or a chunk after a lost one: tell the leader where to resume.
                send(new InstallSnapshotResponse(currentTerm, id, m.from(), m.lastIncludedIndex(), incoming.nextOffset,
                        false));
                return null;
            }
            snapshotChunks.add(new SnapshotChunk(meta, m.totalBytes(), m.offset(), m.data(), m.done()));
            incoming.nextOffset += m.data().length;
            if (m.done()) {
                incoming.installPending = true;
                incoming.leader = m.from();
                snapshotToInstall = meta; // answered once installed, in advance()
            } else {
                send(new InstallSnapshotResponse(currentTerm, id, m.from(), m.lastIncludedIndex(), incoming.nextOffset,
                        false));
            }
            return null;
        }

        @Override
        public Void visit(InstallSnapshotResponse m) {
            Progress pr = progress.get(m.from());
            if (role != RaftRole.LEADER || pr == null) {
                return null;
            }
            pr.heardFrom(tickCount);
            if (m.installed()) {
                // The follower's log now matches through lastIncludedIndex (a snapshot covers only committed entries).
                if (m.lastIncludedIndex() <= log.lastIndex() && pr.maybeUpdate(m.lastIncludedIndex(), tickCount)) {
                    maybeCommit();
                }
                if (pr.state == ProgressState.SNAPSHOT) {
                    pr.becomeProbe(pr.matchIndex + 1);
                }
                sendAppend(m.from(), true);
                maybeSendTimeoutNow(m.from(), false);
                return null;
            }
            if (pr.state == ProgressState.SNAPSHOT && m.nextOffset() < pr.snapshot.sizeBytes()
                    && m.lastIncludedIndex() == pr.snapshot.metadata().lastIncludedIndex()) {
                if (pr.snapshotChunkSent && m.nextOffset() == pr.snapshotOffset) {
                    // The chunk at this offset is on its way already: this answers a resent copy of the
                    // previous chunk. Sending again would send every later chunk twice.
                    return null;
                }
                pr.snapshotOffset = m.nextOffset();
                pr.snapshotChunkSent = false;
                sendAppend(m.from(), false);
            }
            // nextOffset == size: the follower has every byte and is installing; its answer follows.
            return null;
        }

        /** Thesis §3.10: the leader hands leadership to this server: campaign now, without a pre-vote. */
        @Override
        public Void visit(TimeoutNow m) {
            if (role == RaftRole.FOLLOWER && m.from().equals(leaderId) && !installingSnapshot()) {
                startElection(false, true);
            }
            return null;
        }

        @Override
        public Void visit(ReadIndexResponse m) {
            if (m.from().equals(leaderId) && forwardedReads.remove(m.requestId())) {
                readStates.add(new ReadState(m.requestId(), m.readIndex()));
            }
            return null;
        }
    }

    /** A valid AppendEntries or heartbeat from the leader of currentTerm (paper §5.2). */
    private void acceptLeader(NodeId leader) {
        if (role != RaftRole.FOLLOWER && role != RaftRole.LEARNER || !leader.equals(leaderId)) {
            // A candidate that hears from the leader of its term steps down (§5.2).
            becomeFollower(currentTerm, leader);
        }
        electionElapsed = 0;
    }

    /**
     * A lease read (thesis §6.4.1, R-READ-2): if this leader holds a valid lease and has committed an
     * entry of its term, the index a read may be served at once the state machine applied it;
     * otherwise -1, and the caller falls back to {@link #readIndex}. Only with
     * {@link RaftConfig#leaseReads()} on; safe while clocks drift by less than
     * {@link RaftConfig#leaseDriftMarginTicks()} per election timeout.
     */
    public long leaseReadIndex() {
        if (role != RaftRole.LEADER || !config.leaseReads() || !lease.holds(tickCount)
                || log.term(log.commitIndex()) != currentTerm) {
            return -1;
        }
        return log.commitIndex();
    }

    /** The highest ReadIndex round acknowledged by a quorum of voters, this leader included. */
    private long quorumAckedRound() {
        return membership.current().quorumMatchIndex(voter -> {
            if (voter.equals(id)) {
                return Long.MAX_VALUE;
            }
            Progress pr = progress.get(voter);
            return pr == null ? 0 : pr.ackedReadRound;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Snapshots and compaction (paper §7, thesis ch. 5)
    // ---------------------------------------------------------------------------------------------

    /** The driver installed a received snapshot (Ready contract): the log now starts after it. */
    private void finishSnapshotInstall(SnapshotMetadata meta) {
        IncomingSnapshot incoming = incomingSnapshot;
        incomingSnapshot = null;
        if (meta.lastIncludedIndex() <= log.commitIndex()) {
            throw new IllegalStateException("snapshot " + meta + " installed behind commit index " + log.commitIndex());
        }
        log.restoreSnapshot(meta);
        membership.snapshotInstalled(meta);
        configurationChanged();
        if (incoming != null && incoming.leader != null) {
            send(new InstallSnapshotResponse(currentTerm, id, incoming.leader, meta.lastIncludedIndex(),
                    incoming.totalBytes, true));
        }
    }

    /**
     * What a snapshot of the state machine taken at {@code index} covers: the index, its term and
     * the configuration in force there. {@code index} must be applied and still in the log.
     */
    public SnapshotMetadata snapshotMetadataAt(long index) {
        if (index > log.appliedIndex() || index < log.firstIndex() - 1) {
            throw new IllegalArgumentException("cannot snapshot at " + index + ": applied " + log.appliedIndex()
                    + ", log starts at " + log.firstIndex());
        }
        return new SnapshotMetadata(index, log.term(index), membership.at(index));
    }

    /**
     * A snapshot is durable here: followers whose entries are compacted receive it from now on.
     * Register snapshots in increasing index order.
     */
    public void snapshotSaved(LocalSnapshot snapshot) {
        long index = snapshot.metadata().lastIncludedIndex();
        if (index > log.appliedIndex()) {
            throw new IllegalArgumentException("snapshot at " + index + " is beyond the applied index " + log.appliedIndex());
        }
        if (latestSnapshot == null || index > latestSnapshot.metadata().lastIncludedIndex()) {
            latestSnapshot = snapshot;
        }
    }

    /**
     * Discards the log entries up through {@code index} (paper §7), which the latest registered
     * snapshot must cover. The driver then deletes them from storage.
     */
    public void compactLog(long index) {
        if (latestSnapshot == null || index > latestSnapshot.metadata().lastIncludedIndex()) {
            throw new IllegalArgumentException("no snapshot covers index " + index);
        }
        if (index < log.firstIndex()) {
            return;
        }
        // The configuration in force at `index` becomes the base, since its entry is about to go.
        membership.compacting(index);
        log.compactTo(index);
    }

    /** The latest snapshot registered here, or null. */
    public LocalSnapshot latestSnapshot() {
        return latestSnapshot;
    }

    // ---------------------------------------------------------------------------------------------
    // Inspection
    // ---------------------------------------------------------------------------------------------

    public NodeId id() {
        return id;
    }

    public RaftRole role() {
        return role;
    }

    public NodeId leaderId() {
        return leaderId;
    }

    public long currentTerm() {
        return currentTerm;
    }

    public NodeId votedFor() {
        return votedFor;
    }

    public HardState hardState() {
        return new HardState(currentTerm, votedFor, log.commitIndex());
    }

    public SoftState softState() {
        return new SoftState(role, leaderId);
    }

    /** The configuration in force: the last one in this server's log, committed or not (thesis §4.1). */
    public ClusterConfig clusterConfig() {
        return membership.current();
    }

    /** True if the configuration in force is not known to be committed here: a change is under way (R-MEMB-1). */
    public boolean configChangePending() {
        return membership.pending();
    }

    public LogView log() {
        return log;
    }

    public RaftConfig config() {
        return config;
    }

    /** Leader only: the match index of each other member, for status displays; empty otherwise. */
    public Map<NodeId, Long> matchIndexes() {
        Map<NodeId, Long> out = new LinkedHashMap<>();
        progress.forEach((peer, pr) -> out.put(peer, pr.matchIndex));
        return Collections.unmodifiableMap(out);
    }

    /** Leader only: the voter leadership is being transferred to (thesis §3.10), or null. */
    public NodeId transferTarget() {
        return transfer == null ? null : transfer.target;
    }

    /**
     * Leader only: what it knows of each other member of the configuration in force, voters and
     * learners, with catch-up status for promoting learners (thesis §4.2.1); empty otherwise.
     */
    public Map<NodeId, PeerStatus> peerStatus() {
        Map<NodeId, PeerStatus> out = new LinkedHashMap<>();
        ClusterConfig members = membership.current();
        progress.forEach((peer, pr) -> {
            if (members.isMember(peer)) {
                out.put(peer, pr.status(members.isVoter(peer), log.lastIndex(), tickCount, config.electionTicks()));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Leader: {@code peer} answered within an election timeout and has caught up (thesis §4.2.1). */
    private boolean caughtUp(NodeId peer) {
        Progress pr = progress.get(peer);
        return pr != null && pr.caughtUp(log.lastIndex(), tickCount, config.electionTicks());
    }

    /** Leader only: the replication state of each other member, for tests and status; empty otherwise. */
    public Map<NodeId, ProgressState> progressStates() {
        Map<NodeId, ProgressState> out = new LinkedHashMap<>();
        progress.forEach((peer, pr) -> out.put(peer, pr.state));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "RaftCore[" + id + " " + role + " term=" + currentTerm + " leader=" + leaderId + " " + log + "]";
    }
}
