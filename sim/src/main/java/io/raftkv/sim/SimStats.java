package io.raftkv.sim;

/** Counters of what a run exercised, so a report shows that the interesting paths were taken. */
final class SimStats {
    long snapshotsTaken;
    long snapshotsInstalled;
    long tornWrites;
    long leaseReads;
}
