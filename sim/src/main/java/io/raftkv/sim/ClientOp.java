package io.raftkv.sim;

/**
 * One operation of a simulated client, as recorded in the history.
 *
 * @param opId     unique in the run
 * @param client   which client issued it
 * @param kind     GET, PUT or CAS
 * @param key      the key
 * @param value    value written (PUT, CAS new value)
 * @param expected value a CAS expects (null: absent)
 * @param call     simulated time of the invocation
 */
record ClientOp(long opId, int client, Kind kind, String key, String value, String expected, long call) {
    enum Kind { GET, PUT, CAS }

    /** How an operation ended: {@code output} is the read value or the CAS outcome. */
    record Completion(String output, long returnTime) {}
}
