package io.raftkv.sim;

import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node has made durable: the hard state and the log. Only completed fsyncs reach it, so
 * a crash loses exactly what was not yet synced, as a real disk does.
 */
final class SimDisk {
    private HardState hardState = HardState.INITIAL;
    private final List<LogEntry> log = new ArrayList<>();

    /** Applies one synced Ready: entries replace every stored entry from the first one's index. */
    void persist(HardState newHardState, List<LogEntry> entries) {
        if (newHardState != null) {
            if (newHardState.currentTerm() < hardState.currentTerm()) {
                throw new IllegalStateException("durable term would go back from " + hardState.currentTerm()
                        + " to " + newHardState.currentTerm());
            }
            hardState = newHardState;
        }
        if (!entries.isEmpty()) {
            long first = entries.get(0).index();
            if (first > log.size() + 1) {
                throw new IllegalStateException("gap in durable log: writing " + first + " after " + log.size());
            }
            while (log.size() >= first) {
                log.remove(log.size() - 1);
            }
            log.addAll(entries);
        }
    }

    HardState hardState() {
        return hardState;
    }

    long lastIndex() {
        return log.size();
    }

    long lastTerm() {
        return log.isEmpty() ? 0 : log.get(log.size() - 1).term();
    }

    /** Term of the durable entry at {@code index}, or -1 if there is none. */
    long termAt(long index) {
        return index >= 1 && index <= log.size() ? log.get((int) index - 1).term() : -1;
    }

    List<LogEntry> log() {
        return List.copyOf(log);
    }
}
