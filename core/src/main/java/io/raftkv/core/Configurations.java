package io.raftkv.core;

/**
 * The cluster configurations one server knows (thesis §4.1): the one in force is the last
 * CONFIG entry of its log, whether committed or not ("a server always uses the latest
 * configuration in its log"), else the base configuration, which is the snapshot's (thesis §5.1)
 * or, before any snapshot, the bootstrap one. An entry takes effect when appended; if it is
 * deleted (a conflicting suffix, paper §5.3) the previous configuration is in force again.
 */
final class Configurations {
    private final RaftLog log;
    /** The configuration before the first entry the log holds: the snapshot's, else the bootstrap one. */
    private ClusterConfig base;
    /** The configuration in force. */
    private ClusterConfig current;
    /** Index of the entry that carries {@link #current}; 0 if it is {@link #base}. */
    private long currentIndex;

    Configurations(RaftLog log, ClusterConfig base) {
        this.log = log;
        this.base = base;
        restoreAtOrBelow(log.lastIndex());
    }

    ClusterConfig current() {
        return current;
    }

    /** Index of the entry carrying the configuration in force, 0 if it predates the log. */
    long currentIndex() {
        return currentIndex;
    }

    /** True if the configuration in force is not known to be committed (thesis §4.1: no other change until it is). */
    boolean pending() {
        return currentIndex > log.commitIndex();
    }

    /** {@code entry} was appended to the log; returns true if it changed the configuration. */
    boolean appended(LogEntry entry) {
        if (entry.type() != EntryType.CONFIG) {
            return false;
        }
        current = ClusterConfig.decode(entry.data());
        currentIndex = entry.index();
        return true;
    }

    /** The log lost its entries from {@code index} on; returns true if the configuration changed. */
    boolean truncatedFrom(long index) {
        if (currentIndex < index) {
            return false;
        }
        ClusterConfig before = current;
        restoreAtOrBelow(index - 1);
        return !before.equals(current);
    }

    /** The configuration in force at {@code index}, which the log holds or its snapshot covers. */
    ClusterConfig at(long index) {
        long i = configIndexAtOrBelow(index);
        return i == 0 ? base : ClusterConfig.decode(log.entry(i).data());
    }

    /** The log is about to drop its entries up through {@code index} (paper §7): what was in force there becomes the base. */
    void compacting(long index) {
        base = at(index);
        if (currentIndex <= index) {
            currentIndex = 0;
        }
    }

    /** A snapshot replaced the log's prefix (paper Figure 13): its configuration is the base now. */
    void snapshotInstalled(SnapshotMetadata metadata) {
        base = metadata.config();
        restoreAtOrBelow(log.lastIndex());
    }

    private void restoreAtOrBelow(long index) {
        currentIndex = configIndexAtOrBelow(index);
        current = currentIndex == 0 ? base : ClusterConfig.decode(log.entry(currentIndex).data());
    }

    /** Index of the last CONFIG entry held at or below {@code index}, or 0 if the base configuration applies. */
    private long configIndexAtOrBelow(long index) {
        for (long i = Math.min(index, log.lastIndex()); i >= log.firstIndex(); i--) {
            if (log.entry(i).type() == EntryType.CONFIG) {
                return i;
            }
        }
        return 0;
    }
}
