package io.raftkv.verify.history;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends a run's history to a file as it happens, one JSON object per line (JSON Lines, UTF-8),
 * so that a run that is killed half-way still leaves a readable history: {@link HistoryReader}
 * turns invocations without a completion into UNKNOWN ops.
 *
 * <p>Lines, all with a {@code type}:
 * <pre>
 * {"type":"invoke","process":3,"node":"n1","workload":"register","fn":"write","key":"r1","value":"p3-7",
 *  "invoke_ns":1200}
 * {"type":"ok","index":12,"process":3,"node":"n1","workload":"register","fn":"write","key":"r1","value":"p3-7",
 *  "result":null,"invoke_ns":1200,"complete_ns":5300,"error":null,"final":false}     (also "fail", "unknown")
 * {"type":"fault","nemesis":"kill","description":"kill -9 n2","start_ns":100,"end_ns":900}
 * </pre>
 * A completion line repeats everything about the op, so it stands on its own; invocation lines
 * matter only for ops that never completed.
 *
 * <p>Thread-safe: client threads and the nemesis write concurrently, each line whole, under one
 * lock. Writes are buffered; {@link #flush()} pushes them to the operating system and
 * {@link #close()} flushes and closes. An {@link IOException} is rethrown as
 * {@link UncheckedIOException}: a run that cannot record its history is worthless, so callers let
 * it end the run.
 */
public final class HistoryWriter implements AutoCloseable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Writer out;
    private boolean closed;

    /**
     * Creates or truncates the file.
     *
     * @param file where the history goes
     * @throws IOException if it cannot be opened
     */
    public HistoryWriter(Path file) throws IOException {
        this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }

    /**
     * Records that a client sent an op.
     *
     * @param process     the client
     * @param node        the node it was sent to
     * @param workload    its workload
     * @param fn          what it does
     * @param key         the key
     * @param value       the value written or appended, or null
     * @param invokeNanos when it was sent, on the run's clock
     */
    public void invoke(int process, String node, Workload workload, Fn fn, String key, String value,
                       long invokeNanos) {
        StringBuilder line = new StringBuilder(160).append("{\"type\":\"invoke\"");
        field(line, "process", process);
        field(line, "node", node);
        field(line, "workload", workload.label());
        field(line, "fn", fn.name().toLowerCase(Locale.ROOT));
        field(line, "key", key);
        field(line, "value", value);
        field(line, "invoke_ns", invokeNanos);
        write(line);
    }

    /**
     * Records how an op ended.
     *
     * @param op the op
     */
    public void complete(Op op) {
        StringBuilder line = new StringBuilder(240).append("{\"type\":")
                .append('"').append(op.outcome().name().toLowerCase(Locale.ROOT)).append('"');
        field(line, "index", op.index());
        field(line, "process", op.process());
        field(line, "node", op.node());
        field(line, "workload", op.workload().label());
        field(line, "fn", op.fn().name().toLowerCase(Locale.ROOT));
        field(line, "key", op.key());
        field(line, "value", op.value());
        field(line, "result", op.result());
        field(line, "invoke_ns", op.invokeNanos());
        field(line, "complete_ns", op.completeNanos());
        field(line, "error", op.error());
        line.append(",\"final\":").append(op.isFinal());
        write(line);
    }

    /**
     * Records a fault, once it has been healed.
     *
     * @param fault the fault
     */
    public void fault(FaultInterval fault) {
        StringBuilder line = new StringBuilder(160).append("{\"type\":\"fault\"");
        field(line, "nemesis", fault.nemesis());
        field(line, "description", fault.description());
        field(line, "start_ns", fault.startNanos());
        field(line, "end_ns", fault.endNanos());
        write(line);
    }

    /** Pushes buffered lines to the operating system (not to the disk: no fsync). */
    public void flush() {
        lock.lock();
        try {
            if (!closed) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Flushes and closes the file; later calls do nothing. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private void write(StringBuilder line) {
        line.append("}\n");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("history writer is closed");
            }
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private static void field(StringBuilder line, String name, long value) {
        line.append(",\"").append(name).append("\":").append(value);
    }

    private static void field(StringBuilder line, String name, String value) {
        line.append(",\"").append(name).append("\":");
        if (value == null) {
            line.append("null");
        } else {
            quote(line, value);
        }
    }

    /**
     * Appends a JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped;
     * everything else, non-ASCII included, as is, since the file is UTF-8. Lone surrogates are
     * escaped too, so that they survive the UTF-8 encoder instead of becoming '?'.
     */
    private static void quote(StringBuilder line, String value) {
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                case '\b' -> line.append("\\b");
                case '\f' -> line.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || isLoneSurrogate(value, i)) {
                        line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }

    private static boolean isLoneSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
        }
        return false;
    }
}
