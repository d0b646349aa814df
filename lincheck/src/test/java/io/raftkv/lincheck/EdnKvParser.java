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
 * Test fixture: parses the EDN key-value histories ({@code kv/cNN-ok.txt}, {@code -bad.txt})
 * into a history for {@link KvModels#kv()}; the line number is the time of each event. Only the
 * flat map shape used by those files is supported. {@code :info} and never-completed invocations
 * become unknown operations, {@code :fail} drops the operation.
 */
final class EdnKvParser {

    private static final String STRING = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    private static final Pattern LINE = Pattern.compile(
            "^\\{:process (\\d+), :type :(\\w+), :f :(\\w+), :key " + STRING
                    + ", :value (?:nil|" + STRING + ")}$");

    private EdnKvParser() {
    }

    static List<Operation> parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        HistoryRecorder recorder = new HistoryRecorder();
        Map<Integer, Long> open = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": cannot parse " + line);
            }
            int process = Integer.parseInt(m.group(1));
            String type = m.group(2);
            String f = m.group(3);
            String key = unescape(m.group(4));
            String value = m.group(5) == null ? null : unescape(m.group(5));
            long time = i;
            if (type.equals("invoke")) {
                KvInput input = switch (f) {
                    case "get" -> KvInput.get(key);
                    case "put" -> KvInput.put(key, value);
                    case "append" -> KvInput.append(key, value);
                    default -> throw new IllegalArgumentException("unknown function " + f);
                };
                if (open.put(process, recorder.invoke(process, input, time)) != null) {
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
            switch (type) {
                case "ok" -> recorder.ok(id, f.equals("get") ? value : null, time);
                case "fail" -> recorder.fail(id, time);
                case "info" -> recorder.unknown(id);
                default -> throw new IllegalArgumentException("unknown type " + type);
            }
        }
        return recorder.history();
    }

    private static String unescape(String s) {
        return s.replaceAll("\\\\(.)", "$1");
    }
}
