package io.raftkv.bench.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.raftkv.loadgen.OperationException;
import io.raftkv.loadgen.ReadMode;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class EtcdDriverTest {
    @Test
    void failuresAreCountedByKind() {
        assertThat(EtcdDriver.kindOf(new CompletionException(new TimeoutException()))).isEqualTo(
                OperationException.TIMEOUT);
        assertThat(EtcdDriver.kindOf(new CompletionException(Status.INTERNAL
                .withDescription("Encountered end-of-stream mid-frame").asRuntimeException())))
                .isEqualTo("other:StatusRuntimeException:INTERNAL");
    }

    @Test
    void staleReadsAreCalledSerializableAndLeaseReadsAreRefused() {
        try (EtcdDriver driver = new EtcdDriver(ReadMode.STALE, Duration.ofSeconds(1), 1)) {
            assertThat(driver.readModeLabel(ReadMode.STALE)).isEqualTo("serializable");
            assertThat(driver.system()).isEqualTo("etcd");
        }
        assertThatThrownBy(() -> new EtcdDriver(ReadMode.LEASE, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
