package io.raftkv.sim;

/** A broken safety or liveness property, found by the simulator. */
public final class SafetyViolation extends RuntimeException {
    private final String property;

    public SafetyViolation(String property, String detail) {
        super(property + ": " + detail);
        this.property = property;
    }

    /** Which property broke, e.g. "Election Safety". */
    public String property() {
        return property;
    }
}
