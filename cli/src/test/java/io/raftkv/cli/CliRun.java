package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a {@code raftkv} command in this JVM and returns what it printed. */
final class CliRun {
    private CliRun() {
    }

    /** Runs {@code raftkv args...}, asserts its exit status and returns its standard output. */
    static String run(int expectedStatus, String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            status = Main.run(args);
        } finally {
            System.setOut(original);
        }
        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(status).as("raftkv %s printed:%n%s", String.join(" ", args), text).isEqualTo(expectedStatus);
        return text;
    }
}
