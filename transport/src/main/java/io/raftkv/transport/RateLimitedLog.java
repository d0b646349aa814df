package io.raftkv.transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs a recurring warning at most once per interval and says how many were suppressed in between,
 * so a misbehaving peer cannot flood the log. Thread-safe: called from every I/O thread.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong lastLoggedNanos;
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, long intervalNanos, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
        this.lastLoggedNanos = new AtomicLong(nanoClock.getAsLong() - intervalNanos);
    }

    /**
     * Logs {@code message} (already formatted: it is built only when it will be logged) at WARN,
     * unless a line was logged less than an interval ago.
     */
    void warn(Supplier<String> message) {
        long now = nanoClock.getAsLong();
        long last = lastLoggedNanos.get();
        if (now - last < intervalNanos || !lastLoggedNanos.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped == 0) {
            log.warn(message.get());
        } else {
            log.warn("{} ({} similar lines suppressed)", message.get(), skipped);
        }
    }
}
