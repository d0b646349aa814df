package io.raftkv.sim;

/**
 * The last events of a run, kept cheaply (no formatting until a failure needs them) so a failure
 * report can show what led to it.
 */
final class TraceBuffer {
    private final long[] times;
    private final Object[] items;
    private int next;
    private long total;

    TraceBuffer(int capacity) {
        times = new long[Math.max(1, capacity)];
        items = new Object[Math.max(1, capacity)];
    }

    void add(long time, Object item) {
        times[next] = time;
        items[next] = item;
        next = (next + 1) % items.length;
        total++;
    }

    /** The kept events, oldest first, one per line as {@code t=TIME  EVENT}. */
    String render() {
        StringBuilder out = new StringBuilder();
        int count = (int) Math.min(total, items.length);
        int start = (next - count + items.length) % items.length;
        for (int i = 0; i < count; i++) {
            int at = (start + i) % items.length;
            out.append(String.format("  t=%-8d %s%n", times[at], items[at]));
        }
        return out.toString();
    }
}
