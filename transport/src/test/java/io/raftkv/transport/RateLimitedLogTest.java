package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    @Test
    void logsOncePerIntervalAndCountsWhatItSuppressed() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.rate-limited");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        AtomicLong now = new AtomicLong(1_000);
        RateLimitedLog log = new RateLimitedLog(logger, 100, now::get);

        log.warn(() -> "first");
        log.warn(() -> "second");
        log.warn(() -> "third");
        now.addAndGet(100);
        log.warn(() -> "fourth");

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("first", "fourth (2 similar lines suppressed)");
        logger.detachAppender(appender);
    }
}
