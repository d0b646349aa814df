package io.raftkv.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.verify.cluster.ServerLauncher;
import io.raftkv.verify.history.Workload;
import io.raftkv.verify.nemesis.NemesisSchedule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers that cannot start end the run with a clear error that names their log, not a hang. */
class VerifierStartFailureTest {
    @TempDir
    Path runDir;

    @Test
    void serversThatExitAtOnceEndTheRunWithAClusterStartError() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerLauncher broken = new ServerLauncher(java, List.of(), System.getProperty("java.class.path"),
                "io.raftkv.no.such.Main", List.of());
        VerifyOptions options = new VerifyOptions(3, Duration.ofSeconds(5), List.of(), EnumSet.allOf(Workload.class),
                2, Duration.ofSeconds(1), NemesisSchedule.Timing.standard(), runDir, 1, broken, Duration.ofSeconds(5));
        Verifier verifier = new Verifier(options, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertThatThrownBy(verifier::run).isInstanceOf(ClusterStartException.class)
                .hasMessageContaining("n1 exited while starting")
                .hasMessageContaining("io.raftkv.no.such.Main");
        assertThat(runDir.resolve("n1.log")).exists();
    }
}
