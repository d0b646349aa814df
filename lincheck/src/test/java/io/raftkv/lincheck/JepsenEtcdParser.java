package io.raftkv.lincheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fixture: parses the Jepsen etcd logs ({@code jepsen/etcd_NNN.log}) into a history for
 * {@link RegisterModels#casRegister()}. The line number is used as the time of each event.
 *
 * <p>Event mapping (Jepsen semantics): {@code :ok} completes with the value read / {@code true}
 * for a cas; {@code :fail :cas} is a definite completion of a cas that returned {@code false};
 * {@code :fail :read :timed-out}, {@code :info} (timed out) and invocations that never complete
 * have an unknown outcome. Fields are separated by tabs or spaces (both occur).
 */
final class JepsenEtcdParser {

    private static final Pattern LINE = Pattern.compile(
            "^INFO\\s+jepsen\\.util\\s+-\\s+(\\d+)\\s+:(\\w+)\\s+:(\\w+)\\s+(.*?)\\s*$");
    private static final Pattern CAS_ARGS = Pattern.compile("\\[(\\d+)\\s+(\\d+)]");

    private JepsenEtcdParser() {
    }

    static List<Operation> parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        HistoryRecorder recorder = new HistoryRecorder();
        Map<Integer, Long> open = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": cannot parse " + line);
            }
            int process = Integer.parseInt(m.group(1));
            String type = m.group(2);
            String f = m.group(3);
            String value = m.group(4);
            long time = i;
            if (type.equals("invoke")) {
                Long previous = open.put(process, recorder.invoke(process, input(f, value), time));
                if (previous != null) {
                    throw new IllegalArgumentException(file + ":" + (i + 1)
                            + ": process " + process + " invoked twice");
                }
                continue;
            }
            Long id = open.remove(process);
            if (id == null) {
                throw new IllegalArgumentException(file + ":" + (i + 1)
                        + ": completion without invocation");
            }
            switch (type + " " + f) {
                case "ok read" -> recorder.ok(id, value.equals("nil") ? null
                        : Integer.valueOf(value), time);
                case "ok write" -> recorder.ok(id, null, time);
                case "ok cas" -> recorder.ok(id, Boolean.TRUE, time);
                case "fail cas" -> recorder.ok(id, Boolean.FALSE, time);
                case "fail read", "info read", "info write", "info cas" -> recorder.unknown(id);
                default -> throw new IllegalArgumentException(file + ":" + (i + 1)
                        + ": unexpected event " + line);
            }
        }
        return recorder.history();
    }

    private static RegisterInput input(String f, String value) {
        return switch (f) {
            case "read" -> RegisterInput.read();
            case "write" -> RegisterInput.write(Integer.valueOf(value));
            case "cas" -> {
                Matcher m = CAS_ARGS.matcher(value);
                if (!m.matches()) {
                    throw new IllegalArgumentException("bad cas arguments " + value);
                }
                yield RegisterInput.cas(Integer.valueOf(m.group(1)), Integer.valueOf(m.group(2)));
            }
            default -> throw new IllegalArgumentException("unknown function " + f);
        };
    }
}
