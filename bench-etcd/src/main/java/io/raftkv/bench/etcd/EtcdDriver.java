package io.raftkv.bench.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.GetOption;
import io.raftkv.loadgen.Endpoint;
import io.raftkv.loadgen.OperationException;
import io.raftkv.loadgen.ReadMode;
import io.raftkv.loadgen.StoreConnection;
import io.raftkv.loadgen.StoreDriver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives etcd (v3 API) through jetcd: a put per write, a range read of one key per read, either
 * linearizable (etcd's default: the serving member confirms with the leader, like ReadIndex) or
 * serializable (served from the member's local state, like raftkv's stale reads). Each load
 * generator connection is one jetcd {@link Client} bound to one endpoint, so its requests share one
 * HTTP/2 connection the way raftkv's share one TCP connection; all clients complete on one shared,
 * bounded executor.
 */
final class EtcdDriver implements StoreDriver {
    private final ReadMode readMode;
    private final Duration timeout;
    private final ExecutorService executor;

    EtcdDriver(ReadMode readMode, Duration timeout, int threads) {
        if (readMode == ReadMode.LEASE) {
            throw new IllegalArgumentException("etcd has no lease reads for clients: use linearizable or"
                    + " serializable (stale)");
        }
        this.readMode = readMode;
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "bench-etcd-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String system() {
        return "etcd";
    }

    @Override
    public String readModeLabel(ReadMode mode) {
        return mode == ReadMode.STALE ? "serializable" : mode.label;
    }

    @Override
    public StoreConnection connect(Endpoint endpoint) {
        Client client = Client.builder().endpoints("http://" + endpoint).executorService(executor)
                .connectTimeout(Duration.ofMillis(Math.min(5_000, timeout.toMillis()))).build();
        return new EtcdConnection(client, readMode == ReadMode.STALE, timeout);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** One jetcd client; its futures get the run's timeout and its failures an error kind. */
    private static final class EtcdConnection implements StoreConnection {
        private final Client client;
        private final KV kv;
        private final GetOption getOption;
        private final long timeoutMillis;

        EtcdConnection(Client client, boolean serializable, Duration timeout) {
            this.client = client;
            this.kv = client.getKVClient();
            this.getOption = GetOption.builder().withSerializable(serializable).build();
            this.timeoutMillis = timeout.toMillis();
        }

        @Override
        public CompletableFuture<Void> put(byte[] key, byte[] value) {
            return classify(kv.put(ByteSequence.from(key), ByteSequence.from(value)).thenApply(response -> null));
        }

        @Override
        public CompletableFuture<Boolean> get(byte[] key) {
            return classify(kv.get(ByteSequence.from(key), getOption).thenApply(response -> response.getCount() > 0));
        }

        private <T> CompletableFuture<T> classify(CompletableFuture<T> future) {
            CompletableFuture<T> result = new CompletableFuture<>();
            future.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(new OperationException(kindOf(failure), String.valueOf(failure)));
                }
            });
            return result;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** gRPC status codes as error kinds; deadlines count as timeouts, an unreachable member as a connection error. */
    static String kindOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return OperationException.TIMEOUT;
        }
        if (cause instanceof EtcdException etcd && etcd.getErrorCode() != null) {
            return switch (etcd.getErrorCode()) {
                case DEADLINE_EXCEEDED -> OperationException.TIMEOUT;
                case UNAVAILABLE -> OperationException.CONNECTION;
                default -> etcd.getErrorCode().name();
            };
        }
        // Anything else (gRPC or Vert.x exceptions jetcd passes through): name it, so the report says what failed.
        String status = cause.getMessage() == null ? "" : cause.getMessage().split("[ :]", 2)[0];
        return OperationException.OTHER + ":" + cause.getClass().getSimpleName()
                + (status.matches("[A-Z_]{3,40}") ? ":" + status : "");
    }
}
