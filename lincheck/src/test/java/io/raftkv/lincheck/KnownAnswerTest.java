package io.raftkv.lincheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The checker against the verdicts documented in the shared test data's README. */
class KnownAnswerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Linearizable etcd logs according to the README; all others are not. */
    private static final Set<String> LINEARIZABLE_ETCD = Set.of(
            "002", "005", "007", "018", "025", "031", "038", "045", "048", "049", "051", "053",
            "056", "067", "075", "076", "080", "087", "092", "098", "100", "101", "102");

    /** The README says there is no etcd_095; the directory holds it as an empty file. */
    private static final String MISSING_ETCD = "095";

    static Stream<Path> etcdLogs() throws IOException {
        try (Stream<Path> files = Files.list(SharedTestData.linearizabilityDir().resolve("jepsen"))) {
            return files.filter(p -> p.getFileName().toString().matches("etcd_\\d{3}\\.log"))
                    .filter(p -> !number(p).equals(MISSING_ETCD))
                    .sorted().toList().stream();
        }
    }

    static Stream<Path> kvHistories() throws IOException {
        try (Stream<Path> files = Files.list(SharedTestData.linearizabilityDir().resolve("kv"))) {
            return files.filter(p -> p.getFileName().toString().matches("c\\d+-(ok|bad)\\.txt"))
                    .sorted().toList().stream();
        }
    }

    private static String number(Path etcdLog) {
        return etcdLog.getFileName().toString().substring(5, 8);
    }

    @Test
    void allDocumentedFilesArePresent() throws IOException {
        assertThat(etcdLogs().map(KnownAnswerTest::number))
                .hasSize(102)
                .containsAll(LINEARIZABLE_ETCD)
                .doesNotContain(MISSING_ETCD);
        assertThat(kvHistories().map(p -> p.getFileName().toString())).containsExactly(
                "c01-bad.txt", "c01-ok.txt", "c10-bad.txt", "c10-ok.txt", "c50-bad.txt",
                "c50-ok.txt");
    }

    @Test
    void etcd095IsAbsentOrEmpty() throws IOException {
        Path file = SharedTestData.linearizabilityDir().resolve("jepsen/etcd_095.log");
        if (Files.exists(file)) {
            assertThat(JepsenEtcdParser.parse(file)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("etcdLogs")
    void etcdLogHasDocumentedVerdict(Path file) throws IOException {
        List<Operation> history = JepsenEtcdParser.parse(file);
        Verdict expected = LINEARIZABLE_ETCD.contains(number(file)) ? Verdict.OK : Verdict.ILLEGAL;

        CheckResult result = LinearizabilityChecker.check(RegisterModels.casRegister(), history,
                TIMEOUT);

        assertThat(result.verdict()).as(result.explain()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kvHistories")
    void kvHistoryHasDocumentedVerdict(Path file) throws IOException {
        List<Operation> history = EdnKvParser.parse(file);
        Verdict expected = file.getFileName().toString().endsWith("-ok.txt")
                ? Verdict.OK : Verdict.ILLEGAL;

        CheckResult result = LinearizabilityChecker.check(KvModels.kv(), history, TIMEOUT);

        assertThat(result.verdict()).as(result.explain()).isEqualTo(expected);
        assertThat(result.partitions()).hasSizeGreaterThan(1);
    }

    @Test
    void readmeCaseConcurrentPutIsLinearizable() {
        // put(100) concurrent with get->100 and get->0
        List<Operation> history = List.of(
                Operation.completed(0, RegisterInput.write(100), null, 0, 100),
                Operation.completed(1, RegisterInput.read(), 100, 25, 75),
                Operation.completed(2, RegisterInput.read(), 0, 30, 60));

        assertThat(LinearizabilityChecker.check(RegisterModels.casRegister(0), history, TIMEOUT)
                .verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void readmeCaseStaleReadAfterPutIsIllegal() {
        // put(200) spanning get->200, followed (not overlapping) by get->0
        List<Operation> history = List.of(
                Operation.completed(0, RegisterInput.write(200), null, 0, 100),
                Operation.completed(1, RegisterInput.read(), 200, 10, 30),
                Operation.completed(1, RegisterInput.read(), 0, 40, 90));

        CheckResult result = LinearizabilityChecker.check(RegisterModels.casRegister(0), history,
                TIMEOUT);

        assertThat(result.verdict()).isEqualTo(Verdict.ILLEGAL);
    }
}
