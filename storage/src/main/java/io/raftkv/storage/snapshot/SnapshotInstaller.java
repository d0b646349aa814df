package io.raftkv.storage.snapshot;

import io.raftkv.storage.snapshot.ChunkResult.Reason;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's entry point for InstallSnapshot chunks from the network (paper §7, Figure 13; thesis
 * ch. 5; R-SNAP-3). It validates what the leader announces and routes each chunk to the receiver of
 * its transfer, so that a chunk can never land in the wrong file:
 * <table>
 *   <caption>routing</caption>
 *   <tr><th>chunk's transfer</th><th>result</th></tr>
 *   <tr><td>size above {@link SnapshotStoreConfig#maxReceiveSizeBytes()}</td><td>Rejected(TOO_LARGE), nothing written</td></tr>
 *   <tr><td>size below the smallest snapshot file</td><td>Rejected(MALFORMED), nothing written</td></tr>
 *   <tr><td>the active one</td><td>its receiver answers; after a failure or abort, offset 0 restarts it</td></tr>
 *   <tr><td>older than the active one (earlier leader term, or same term and lower index)</td><td>Rejected(SUPERSEDED)</td></tr>
 *   <tr><td>another one, offset 0</td><td>starts it, replacing (and deleting) the active one</td></tr>
 *   <tr><td>another one, offset &gt; 0</td><td>Rejected(UNKNOWN_TRANSFER), resume at 0</td></tr>
 * </table>
 * The term check of Figure 13 ("reply immediately if term &lt; currentTerm") belongs to the core and
 * happens before a chunk gets here.
 *
 * <p>Call it from one thread (the driver's); routing decisions are not atomic across threads.
 */
public final class SnapshotInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotInstaller.class);

    private final SnapshotStore store;

    public SnapshotInstaller(SnapshotStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Handles one chunk; see the class Javadoc. A chunk is written only to the temporary file of its
     * own transfer, and a snapshot is installed only whole and verified.
     *
     * @throws IOException on a storage failure (fatal for the node); the transfer is then aborted
     */
    public ChunkResult accept(SnapshotChunk chunk) throws IOException {
        SnapshotTransfer transfer = chunk.transfer();
        long maxBytes = store.config().maxReceiveSizeBytes();
        if (transfer.totalSizeBytes() > maxBytes) {
            return reject(Reason.TOO_LARGE, transfer + " exceeds the limit of " + maxBytes + " bytes");
        }
        if (transfer.totalSizeBytes() < SnapshotFormat.MIN_FILE_BYTES) {
            return reject(Reason.MALFORMED, transfer + " is smaller than any snapshot file ("
                    + SnapshotFormat.MIN_FILE_BYTES + " bytes)");
        }
        Optional<SnapshotReceiver> active = store.activeReceiver();
        if (active.isPresent()) {
            SnapshotReceiver receiver = active.get();
            if (receiver.transfer().equals(transfer)) {
                if (receiver.isRestartable() && chunk.offset() == 0) {
                    receiver = store.receive(transfer); // the leader restarts after a failure or abort
                }
                return receiver.accept(chunk.offset(), chunk.data(), chunk.done());
            }
            if (receiver.transfer().isNewerThan(transfer)) {
                return reject(Reason.SUPERSEDED, transfer + " is older than " + receiver.transfer());
            }
        }
        if (chunk.offset() != 0) {
            return reject(Reason.UNKNOWN_TRANSFER, "chunk at offset " + chunk.offset() + " of " + transfer
                    + ", which this server is not receiving; restart at offset 0");
        }
        return store.receive(transfer).accept(chunk.offset(), chunk.data(), chunk.done());
    }

    private static ChunkResult reject(Reason reason, String detail) {
        if (reason == Reason.UNKNOWN_TRANSFER || reason == Reason.SUPERSEDED) {
            // ordinary on a real network: chunks overtaken or delayed across a new transfer or leader
            LOG.debug("snapshot chunk rejected ({}): {}", reason, detail);
        } else {
            LOG.warn("snapshot chunk rejected ({}): {}", reason, detail); // the leader sent something impossible
        }
        return new ChunkResult.Rejected(reason, detail, 0);
    }
}
