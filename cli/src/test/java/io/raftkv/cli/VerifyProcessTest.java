package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.VerifyOptions;
import io.raftkv.verify.VerifyResult;
import io.raftkv.verify.Verifier;
import io.raftkv.verify.check.Validity;
import io.raftkv.verify.cluster.ServerLauncher;
import io.raftkv.verify.history.HistoryReader;
import io.raftkv.verify.history.Workload;
import io.raftkv.verify.nemesis.MembershipChange;
import io.raftkv.verify.nemesis.MembershipNemesis;
import io.raftkv.verify.nemesis.MembershipNemesis.Step;
import io.raftkv.verify.nemesis.MembershipPlanner.Kind;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code raftkv verify} end to end, the short version CI runs: real server processes, each
 * nemesis for about forty seconds on three nodes, every workload; membership changes at random
 * and in a scripted order; and the proof that it has teeth: with a deliberate bug in the servers
 * it reports invalid.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class VerifyProcessTest {
    /** Kept when a test fails: the run directory holds the history, the report and every server's log. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
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

    /**
     * The membership nemesis on its own schedule while partitions come and go: three nodes and two
     * spares grow, shrink, lose disks and hand over leadership, and no acknowledged write is lost.
     */
    @Test
    void shortRunWithMembershipChangesDuringPartitionsIsValid() throws Exception {
        Path runDir = tmp.resolve("membership");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        VerifyOptions options = new VerifyOptions(3, Duration.ofSeconds(40), Nemesis.parse("membership,partition"),
                EnumSet.allOf(Workload.class), 8, Duration.ofSeconds(3),
                new NemesisSchedule.Timing(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1),
                        Duration.ofSeconds(3)),
                runDir, 11, ServerLauncher.ofCurrentJvm(Main.class.getName(), List.of()), Duration.ofMinutes(1));
        assertThat(options.spares()).isEqualTo(2);
        VerifyResult result;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            result = new Verifier(options, out).run();
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(result.verdict()).as(printed).isEqualTo(Validity.VALID);
        assertThat(result.ok()).as(printed).isGreaterThan(500);
        HistoryReader.History history = HistoryReader.read(runDir.resolve("history.jsonl"));
        assertThat(history.faults().stream().filter(f -> f.nemesis().equals("membership")))
                .as(printed).hasSizeGreaterThanOrEqualTo(3);
        assertThat(history.faults()).as(printed).anyMatch(f -> f.nemesis().equals("partition"));
    }

    /**
     * The scenarios in a known order under client load, through the same machinery and
     * checkers: grow 3→5 (two joins), remove the leader (thesis §4.2.2), shrink to 3 leaving the
     * removed server running (it must not raise the term, §4.2.3), replace a node whose data
     * directory was wiped, transfer leadership (§3.10).
     */
    @Test
    void scriptedMembershipChangesUnderLoadLoseNoAcknowledgedWrite() throws Exception {
        Path runDir = tmp.resolve("scripted");
        MembershipNemesis script = MembershipNemesis.scripted(List.of(
                Step.of(Kind.GROW), Step.of(Kind.GROW), Step.of(Kind.SHRINK_LEADER),
                Step.shrinkLeavingRunning(Duration.ofSeconds(4)), Step.of(Kind.REPLACE), Step.of(Kind.TRANSFER)));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        VerifyOptions options = new VerifyOptions(3, Duration.ofSeconds(60), List.of(script),
                EnumSet.of(Workload.REGISTER, Workload.APPEND), 6, Duration.ofSeconds(3),
                new NemesisSchedule.Timing(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2)),
                runDir, 3, ServerLauncher.ofCurrentJvm(Main.class.getName(), List.of()), Duration.ofMinutes(1), 2);
        VerifyResult result;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            result = new Verifier(options, out).run();
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(result.verdict()).as(printed).isEqualTo(Validity.VALID);
        assertThat(result.ok()).as(printed).isGreaterThan(500);
        List<MembershipNemesis.Outcome> outcomes = script.outcomes();
        assertThat(outcomes).as(printed).hasSize(6);
        assertThat(outcomes).as(printed).noneMatch(o -> o.description().contains("not done")
                || o.description().contains("NOT a voter"));
        // The voters the script implies: all five, less the two removed; the replaced node is back.
        Set<String> expected = new TreeSet<>(List.of("n1", "n2", "n3", "n4", "n5"));
        MembershipChange.Shrink removedLeader = (MembershipChange.Shrink) outcomes.get(2).change();
        MembershipChange.Shrink removed = (MembershipChange.Shrink) outcomes.get(3).change();
        assertThat(removedLeader.leader()).isTrue();
        expected.remove(removedLeader.voter());
        expected.remove(removed.voter());
        assertThat(outcomes.get(3).after()).as(printed).isNotNull();
        assertThat(outcomes.get(3).after().voters()).as(printed).containsExactlyElementsOf(expected);
        assertThat(printed).contains("final configuration: voters " + String.join(",", expected) + ",");
        // The removed server left running did not raise the cluster's term.
        MembershipNemesis.TermWhileLeftRunning term = outcomes.get(3).leftRunning();
        assertThat(term.before()).as(printed).isPositive();
        assertThat(term.after()).as(printed).isEqualTo(term.before());
        assertThat(outcomes.get(4).change()).isInstanceOf(MembershipChange.Replace.class);
        assertThat(outcomes.get(5).description()).as(printed).contains("OK leader=");
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
