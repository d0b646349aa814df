package io.raftkv.core.harness;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.HardState;
import io.raftkv.core.InitialState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.Ready;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated stable storage of one server: what survives a crash. A {@link Ready} changes it
 * only when the harness "persists" that Ready (step 2 of the contract in {@link Ready}'s Javadoc).
 */
public final class DurableState {
    private HardState hardState;
    private final List<LogEntry> log = new ArrayList<>();

    public DurableState(HardState hardState, List<LogEntry> log) {
        this.hardState = hardState;
        this.log.addAll(log);
    }

    /** Makes the Ready's hard state and entries durable; entries replace the stored suffix from the first one's index. */
    public void persist(Ready ready) {
        if (ready.hardState() != null) {
            hardState = ready.hardState();
        }
        List<LogEntry> entries = ready.entriesToPersist();
        if (entries.isEmpty()) {
            return;
        }
        long first = entries.get(0).index();
        if (first < 1 || first > log.size() + 1) {
            throw new AssertionError("Ready " + ready.sequence() + " persists from index " + first
                    + " but the stored log ends at " + log.size());
        }
        while (log.size() >= first) {
            log.remove(log.size() - 1);
        }
        log.addAll(entries);
    }

    public HardState hardState() {
        return hardState;
    }

    public List<LogEntry> log() {
        return List.copyOf(log);
    }

    /** What a restarted core starts from. */
    public InitialState toInitialState(ClusterConfig bootstrap) {
        return new InitialState(bootstrap, hardState, log);
    }
}
