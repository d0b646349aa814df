package io.raftkv.verify;

import io.raftkv.verify.check.Validity;
import java.nio.file.Path;

/**
 * The outcome of a verify run, as its last line prints it.
 *
 * @param verdict  valid, invalid or unknown
 * @param ops      operations in the history
 * @param ok       acknowledged
 * @param fail     certainly not applied
 * @param unknown  outcome unknown
 * @param runDir   where the history, logs and report are
 */
public record VerifyResult(Validity verdict, long ops, long ok, long fail, long unknown, Path runDir) {
    /** {@code VERDICT valid ops=N ok=N fail=N unknown=N}. */
    public String verdictLine() {
        return "VERDICT " + verdict.name().toLowerCase(java.util.Locale.ROOT) + " ops=" + ops + " ok=" + ok
                + " fail=" + fail + " unknown=" + unknown;
    }
}
