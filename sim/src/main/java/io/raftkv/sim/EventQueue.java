package io.raftkv.sim;

import java.util.PriorityQueue;

/**
 * The discrete-event scheduler: events ordered by simulated time, ties broken by insertion order,
 * so a run is a pure function of its seed.
 */
final class EventQueue {
    /** An event scheduled at {@code time} (simulated milliseconds). */
    record Scheduled(long time, long sequence, SimEvent event) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private long sequence;
    private long now;

    long now() {
        return now;
    }

    void at(long time, SimEvent event) {
        if (time < now) {
            throw new IllegalArgumentException("event scheduled in the past: " + time + " < " + now);
        }
        queue.add(new Scheduled(time, sequence++, event));
    }

    void after(long delay, SimEvent event) {
        at(now + delay, event);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Removes the next event and moves the clock to its time. */
    Scheduled next() {
        Scheduled s = queue.poll();
        now = s.time();
        return s;
    }
}
