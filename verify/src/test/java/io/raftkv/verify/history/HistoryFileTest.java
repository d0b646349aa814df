package io.raftkv.verify.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HistoryWriter} to {@link HistoryReader} round trips. */
class HistoryFileTest {

    private static final String NASTY = "quote\" backslash\\ slash/ newline\n cr\r tab\t nul\u0000 bell\u0007"
            + " unit\u001f del\u007f ünïcödé € 😀 lone\ud800 surrogate \u2028 {\"a\":[1]} , : null";

    @TempDir
    Path dir;

    @Test
    void opsAndFaultsSurviveARoundTrip() throws IOException {
        Path file = dir.resolve("history.jsonl");
        List<Op> ops = List.of(
                new Op(0, 1, "n1", Workload.REGISTER, Fn.WRITE, "r1", NASTY, Outcome.OK, null, 10, 20, null, false),
                new Op(1, 2, "n2", Workload.REGISTER, Fn.READ, "r1", null, Outcome.OK, NASTY, 15, 25, null, true),
                new Op(2, 3, "n3", Workload.APPEND, Fn.APPEND, NASTY, "p3-1 ", Outcome.FAIL, null, 16, 26,
                        "-NOTLEADER " + NASTY, false),
                new Op(3, 4, "n1", Workload.COUNTER, Fn.INCR, "c1", null, Outcome.UNKNOWN, null, 17,
                        Long.MAX_VALUE - 1, "timeout", false),
                new Op(4, 5, "n2", Workload.COUNTER, Fn.INCR, "c1", null, Outcome.OK, "-12", 18, 30, null, false));
        FaultInterval fault = new FaultInterval("partition", "isolate n1 | n2 n3 " + NASTY, 5, 40);
        try (HistoryWriter writer = new HistoryWriter(file)) {
            for (Op op : ops) {
                writer.invoke(op.process(), op.node(), op.workload(), op.fn(), op.key(), op.value(), op.invokeNanos());
            }
            ops.forEach(writer::complete);
            writer.fault(fault);
        }

        HistoryReader.History history = HistoryReader.read(file);

        assertThat(history.ops()).containsExactlyElementsOf(ops);
        assertThat(history.faults()).containsExactly(fault);
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(11)
                .allMatch(line -> line.startsWith("{\"type\":") && line.endsWith("}"))
                .anyMatch(line -> line.contains("ünïcödé € 😀") && line.contains("\\u0000")
                        && line.contains("\\ud800"));
    }

    @Test
    void invocationWithoutCompletionBecomesUnknown() throws IOException {
        Path file = dir.resolve("interrupted.jsonl");
        try (HistoryWriter writer = new HistoryWriter(file)) {
            writer.invoke(1, "n1", Workload.APPEND, Fn.APPEND, "l1", "p1-0 ", 100);
            writer.complete(new Op(7, 1, "n1", Workload.APPEND, Fn.APPEND, "l1", "p1-0 ", Outcome.OK, null, 100, 200,
                    null, false));
            writer.invoke(1, "n1", Workload.APPEND, Fn.APPEND, "l1", "p1-1 ", 300);
            writer.invoke(2, "n2", Workload.APPEND, Fn.READ, "l1", null, 250);
            writer.fault(new FaultInterval("kill", "kill -9 n3", 150, 900));
            writer.flush();
        }

        List<Op> ops = HistoryReader.read(file).ops();

        assertThat(ops).hasSize(3);
        assertThat(ops.get(0).index()).isEqualTo(7);
        Op read = ops.get(1);
        Op append = ops.get(2);
        assertThat(read).isEqualTo(new Op(8, 2, "n2", Workload.APPEND, Fn.READ, "l1", null, Outcome.UNKNOWN, null,
                250, 900, HistoryReader.NO_COMPLETION, false));
        assertThat(append).isEqualTo(new Op(9, 1, "n1", Workload.APPEND, Fn.APPEND, "l1", "p1-1 ", Outcome.UNKNOWN,
                null, 300, 900, HistoryReader.NO_COMPLETION, false));
    }

    @Test
    void malformedLineIsNamed() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, """
                {"type":"fault","nemesis":"kill","description":"x","start_ns":1,"end_ns":2}

                {"type":"fault","nemesis":"kill","description":"x","start_ns":1,"end_ns":2
                """);

        assertThatThrownBy(() -> HistoryReader.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 3");
    }

    @Test
    void missingOrMistypedFieldsAreNamed() throws IOException {
        Path file = dir.resolve("fields.jsonl");
        Files.writeString(file, "{\"type\":\"fault\",\"nemesis\":\"kill\",\"description\":\"x\",\"start_ns\":1}\n");
        assertThatThrownBy(() -> HistoryReader.read(file)).hasMessageContaining("line 1")
                .hasMessageContaining("end_ns");

        Files.writeString(file, "{\"type\":\"ok\",\"index\":\"zero\"}\n");
        assertThatThrownBy(() -> HistoryReader.read(file)).hasMessageContaining("\"index\" is not an integer");

        Files.writeString(file, "{\"type\":\"what\"}\n");
        assertThatThrownBy(() -> HistoryReader.read(file)).hasMessageContaining("unknown type");

        Files.writeString(file, "{\"type\":\"fault\",\"type\":\"fault\"}\n");
        assertThatThrownBy(() -> HistoryReader.read(file)).hasMessageContaining("duplicate field");

        Files.writeString(file, "{\"type\":\"fault\",\"nemesis\":\"bad \\q escape\"}\n");
        assertThatThrownBy(() -> HistoryReader.read(file)).hasMessageContaining("bad escape");
    }

    @Test
    void concurrentWritersProduceWholeLines() throws Exception {
        Path file = dir.resolve("concurrent.jsonl");
        int threads = 8;
        int perThread = 2_000;
        try (HistoryWriter writer = new HistoryWriter(file)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int process = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            writer.complete(new Op((long) process * perThread + i, process, "n1", Workload.REGISTER,
                                    Fn.WRITE, "r1", "p" + process + "-" + i + NASTY, Outcome.OK, null, i, i + 1, null,
                                    false));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }

        assertThat(HistoryReader.read(file).ops()).hasSize(threads * perThread);
    }
}
