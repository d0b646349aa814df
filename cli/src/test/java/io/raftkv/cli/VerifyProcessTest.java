package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.VerifyOptions;
import io.raftkv.verify.VerifyResult;
import io.raftkv.verify.Verifier;
import io.raftkv.verify.check.Validity;
import io.raftkv.verify.cluster.ServerLauncher;
import io.raftkv.verify.history.HistoryReader;
import io.raftkv.verify.history.Workload;
import io.raftkv.verify.nemesis.Nemesis;
import io.raftkv.verify.nemesis.NemesisSchedule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code raftkv verify} end to end, the short version CI runs: real server processes, each
 * nemesis for about forty seconds on three nodes, every workload; and the proof that it has
 * teeth: with a deliberate bug in the servers it reports invalid.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class VerifyProcessTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "nemesis {0}")
    @ValueSource(strings = {"kill", "pause", "partition"})
    void shortRunUnderEachNemesisIsValid(String nemesis) throws Exception {
        Path runDir = tmp.resolve(nemesis);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        VerifyOptions options = new VerifyOptions(3, Duration.ofSeconds(40), Nemesis.parse(nemesis),
                EnumSet.allOf(Workload.class), 8, Duration.ofSeconds(3),
                new NemesisSchedule.Timing(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2),
                        Duration.ofSeconds(4)),
                runDir, 42, ServerLauncher.ofCurrentJvm(Main.class.getName(), List.of()),
                Duration.ofMinutes(1));
        VerifyResult result;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            result = new Verifier(options, out).run();
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(result.verdict()).as(printed).isEqualTo(Validity.VALID);
        assertThat(printed.strip()).endsWith(result.verdictLine());
        // The run tested something: many acknowledged operations, and several faults.
        assertThat(result.ok()).as(printed).isGreaterThan(500);
        HistoryReader.History history = HistoryReader.read(runDir.resolve("history.jsonl"));
        assertThat(history.ops()).hasSize((int) result.ops());
        assertThat(history.faults()).as(printed).hasSizeGreaterThanOrEqualTo(3)
                .allMatch(f -> f.nemesis().equals(nemesis));
        assertThat(Files.readString(runDir.resolve("report.html"))).contains("<svg");
        assertThat(runDir.resolve("n1.log")).exists();
    }

    @Test
    void reportsInvalidWhenServersAnswerReadsFromLocalState() throws Exception {
        Path runDir = tmp.resolve("stale");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            status = Main.run("verify", "--nodes", "3", "--time", "40s", "--nemesis", "partition",
                    "--workload", "register", "--clients", "8", "--seed", "7", "--dir", runDir.toString(),
                    "--unsafe-server-fault", "stale-reads");
        } finally {
            System.setOut(original);
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isEqualTo(1);
        assertThat(printed.strip()).as(printed).containsPattern("VERDICT invalid ops=\\d+ ok=\\d+ fail=\\d+ unknown=\\d+$");
        assertThat(Files.readString(runDir.resolve("summary.txt"))).contains("register: INVALID");
        assertThat(Files.readString(runDir.resolve("report.html"))).contains("INVALID");
    }
}
