package io.raftkv.lincheck;

/**
 * An operation on a single register, for {@link RegisterModels#casRegister()}: the input half of
 * an operation in the sense of Wing &amp; Gong (1993), as in the Jepsen etcd register tests that
 * Knossos and Porcupine check.
 *
 * <p>Outputs: a read returns the value read (possibly null); a write's output is ignored; a
 * compare-and-set returns a {@link Boolean}, {@code true} if it swapped.
 *
 * @param kind     which operation
 * @param value    the value written (WRITE), or the new value (CAS); null for READ
 * @param expected the value a CAS compares against; null for READ and WRITE
 */
public record RegisterInput(Kind kind, Object value, Object expected) {

    /** Register operations. */
    public enum Kind {
        /** Read the value. */
        READ,
        /** Overwrite the value. */
        WRITE,
        /** Replace the value with {@code value} if it equals {@code expected}. */
        CAS
    }

    private static final RegisterInput READ = new RegisterInput(Kind.READ, null, null);

    /**
     * A read.
     *
     * @return the read input
     */
    public static RegisterInput read() {
        return READ;
    }

    /**
     * A write.
     *
     * @param value value to write
     * @return the write input
     */
    public static RegisterInput write(Object value) {
        return new RegisterInput(Kind.WRITE, value, null);
    }

    /**
     * A compare-and-set.
     *
     * @param expected value the register must hold for the swap to happen
     * @param newValue value to store if it does
     * @return the cas input
     */
    public static RegisterInput cas(Object expected, Object newValue) {
        return new RegisterInput(Kind.CAS, newValue, expected);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case READ -> "read()";
            case WRITE -> "write(" + value + ")";
            case CAS -> "cas(" + expected + ", " + value + ")";
        };
    }
}
