/**
 * A linearizability checker for client histories of concurrent objects.
 *
 * <p>A history is a list of {@link io.raftkv.lincheck.Operation}s, each with an invocation
 * ("call") time and a response ("return") time. The history is linearizable with respect to a
 * sequential {@link io.raftkv.lincheck.Model} if every operation can be assigned a single point in
 * time inside its interval such that executing the operations one by one, in that order, on the
 * model produces exactly the observed outputs (Herlihy &amp; Wing 1990).
 *
 * <p>{@link io.raftkv.lincheck.LinearizabilityChecker} decides this with the depth-first search of
 * Wing &amp; Gong ("Testing and verifying concurrent objects", JPDC 1993) as improved by Lowe
 * ("Testing for linearizability", Concurrency and Computation 2017): the call and return events
 * form a doubly linked list from which linearized operations are "lifted", and a memo of
 * (set of linearized operations, model state) pairs prunes configurations already explored. The
 * history is first split into independent partitions (for example by key), which is sound by the
 * P-compositionality result of Horn &amp; Kroening ("Faster linearizability checking via
 * P-compositionality", FORTE 2015). The overall design follows the Porcupine checker
 * (Anish Athalye, github.com/anishathalye/porcupine); this is an independent implementation.
 *
 * <p>Ready-made models: {@link io.raftkv.lincheck.RegisterModels} (a compare-and-set register)
 * and {@link io.raftkv.lincheck.KvModels} (key-value maps partitioned by key). Histories can be
 * built from a stream of events with {@link io.raftkv.lincheck.HistoryRecorder}.
 *
 * <p>This package depends on the JDK only.
 */
package io.raftkv.lincheck;
