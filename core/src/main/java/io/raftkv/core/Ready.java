package io.raftkv.core;

import io.raftkv.core.message.RaftMessage;
import java.util.List;

/**
 * Everything a core wants its driver to do, taken in one batch by {@link RaftCore#ready()}.
 *
 * <h2>The contract</h2>
 * The core performs no I/O. A driver takes Readies while {@link RaftCore#hasReady()} and carries
 * out each one <b>in this order</b>:
 * <ol>
 *   <li>Send {@link #messages()} at once. These are a leader's AppendEntries and heartbeats, pre-votes
 *       and read-index traffic: nothing in them depends on unpersisted state, so a leader writes its
 *       own log in parallel with replicating it (thesis §10.2.1).</li>
 *   <li>Make {@link #hardState()} (if not null), {@link #entriesToPersist()} and
 *       {@link #snapshotChunks()} durable: fsync. The entries replace every stored entry at or after
 *       the first one's index (paper §5.3); the chunks go into the snapshot file being received
 *       (a chunk at offset 0 starts a new one). Storage that can tear a write must make the
 *       entries durable before the hard state (or write both atomically, as the write-ahead log's
 *       batches are): the hard state's commit index must never come to cover entries the same
 *       Ready was replacing.</li>
 *   <li>Only then send {@link #messagesAfterPersist()}: vote grants, append acknowledgements and a
 *       candidate's vote requests promise state that must survive a crash (paper Figure 2: "updated on
 *       stable storage before responding to RPCs"; R-ELECT-4, R-DISK-1).</li>
 *   <li>Apply {@link #committedEntries()} to the state machine in order. Then, if
 *       {@link #snapshotToInstall()} is set, install it (paper §7, Figure 13): verify the received
 *       file, make it the durable snapshot (atomic rename), replace the state machine's state with it,
 *       and drop the stored log entries it covers, and the ones after it too unless the stored entry
 *       at its last index has its term. Then serve {@link #readStates()} once the applied index
 *       reaches each one's read index, and fail {@link #droppedReads()}, which can be retried.</li>
 *   <li>Call {@link RaftCore#advance(Ready)}. After advancing a Ready with a {@link #snapshotToInstall()},
 *       register the installed snapshot with {@link RaftCore#snapshotSaved}: the log now starts after
 *       it, so it is what this server sends to followers that lag behind once it leads.</li>
 * </ol>
 * Readies may be pipelined: the driver may take the next Ready and step or tick the core before an
 * earlier one is durable, as long as Readies are persisted and advanced in the order they were taken.
 * The core asserts its side of the contract when it builds a Ready (a vote grant or append
 * acknowledgement is never placed where it could leave before the state it promises is durable) and
 * the order of {@code advance} calls.
 *
 * @param sequence             position of this Ready in the order they were taken, from 1
 * @param softState            role and leader now
 * @param hardState            term, vote and commit to persist, or null; present when the term or vote changed
 *                             since the last Ready that carried one, or when the commit index rose and the
 *                             Ready persists entries or chunks anyway. A rise of the commit index alone is
 *                             not persisted (commitIndex is volatile state, paper Figure 2), so committed
 *                             entries need no fsync of their own before they are applied
 * @param entriesToPersist     entries to append durably, consecutive; may overwrite a stored suffix
 * @param messages             messages that may be sent before persisting
 * @param messagesAfterPersist messages that may be sent only after this Ready is durable
 * @param committedEntries     committed entries to apply, consecutive, after persisting
 * @param readStates           linearizable reads that may be served at their read index
 * @param droppedReads         read request ids this server can no longer serve (no leader, leadership lost)
 * @param snapshotChunks       chunks of a snapshot being received, to write durably with the entries
 * @param snapshotToInstall    a completely received snapshot to install after applying, or null
 */
public record Ready(long sequence, SoftState softState, HardState hardState, List<LogEntry> entriesToPersist,
                    List<RaftMessage> messages, List<RaftMessage> messagesAfterPersist,
                    List<LogEntry> committedEntries, List<ReadState> readStates, List<Long> droppedReads,
                    List<SnapshotChunk> snapshotChunks, SnapshotMetadata snapshotToInstall) {

    public Ready {
        snapshotChunks = List.copyOf(snapshotChunks);
        entriesToPersist = List.copyOf(entriesToPersist);
        messages = List.copyOf(messages);
        messagesAfterPersist = List.copyOf(messagesAfterPersist);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
        droppedReads = List.copyOf(droppedReads);
    }

    /** True if the driver has something to write before sending {@link #messagesAfterPersist()}. */
    public boolean needsPersist() {
        return hardState != null || !entriesToPersist.isEmpty() || !snapshotChunks.isEmpty();
    }

    /** Index of the last committed entry in this Ready, or 0 if there is none. */
    public long lastCommittedIndex() {
        return committedEntries.isEmpty() ? 0 : committedEntries.get(committedEntries.size() - 1).index();
    }
}
