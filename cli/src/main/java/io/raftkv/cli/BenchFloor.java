package io.raftkv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * The physical floor under every replicated write on this machine: how long the disk takes to make
 * 4 KiB durable, and how long a small message takes to go to another process and back over
 * loopback TCP. No consensus protocol on this machine can acknowledge a durable write faster than
 * one client round trip plus the leader's fsync, in parallel with a follower's round trip and fsync.
 */
final class BenchFloor {
    /** Latencies up to one minute, three significant digits. */
    private static final long HIGHEST_NANOS = 60_000_000_000L;
    private static final int BLOCK_BYTES = 4096;

    private BenchFloor() {
    }

    /**
     * A loop of 4 KiB write + {@code force(false)} (fdatasync) on {@code file} for {@code duration},
     * as the write-ahead log does per batch; appending, or overwriting a preallocated 64 MiB file.
     * The file is deleted afterwards.
     */
    static Histogram fsyncLatency(Path file, Duration duration, boolean overwritePreallocated) throws IOException {
        Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_BYTES);
        long preallocated = 64L << 20;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (overwritePreallocated) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                for (long position = 0; position < preallocated; position += zeros.capacity()) {
                    channel.write(zeros.clear(), position);
                }
                channel.force(true);
            }
            long position = 0;
            long end = System.nanoTime() + duration.toNanos();
            for (long now = System.nanoTime(); now < end; ) {
                block.clear();
                while (block.hasRemaining()) {
                    position += channel.write(block, position);
                }
                channel.force(false);
                long after = System.nanoTime();
                latency.recordValue(Math.min(after - now, HIGHEST_NANOS));
                now = after;
                if (overwritePreallocated && position >= preallocated) {
                    position = 0;
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return latency;
    }

    /**
     * Ping-pong of {@code messageBytes} over loopback TCP (TCP_NODELAY, blocking sockets, an echo
     * thread in this process) for {@code duration}; the first 10 % of the time warms up and is not
     * recorded. One sample is one round trip: write, then read the echo.
     */
    static Histogram loopbackRoundTrip(Duration duration, int messageBytes) throws IOException, InterruptedException {
        Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> echo(server, messageBytes), "bench-floor-echo");
            echo.setDaemon(true);
            echo.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                byte[] message = new byte[messageBytes];
                long start = System.nanoTime();
                long recordFrom = start + duration.toNanos() / 10;
                long end = start + duration.toNanos();
                for (long now = start; now < end; ) {
                    out.write(message);
                    out.flush();
                    in.readNBytes(message, 0, messageBytes);
                    long after = System.nanoTime();
                    if (now >= recordFrom) {
                        latency.recordValue(Math.min(after - now, HIGHEST_NANOS));
                    }
                    now = after;
                }
            }
            echo.join(5_000);
        }
        return latency;
    }

    private static void echo(ServerSocket server, int messageBytes) {
        try (Socket socket = server.accept()) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] message = new byte[messageBytes];
            while (in.readNBytes(message, 0, messageBytes) == messageBytes) {
                out.write(message);
                out.flush();
            }
        } catch (IOException ignored) {
            // the client closed: the measurement is over
        }
    }
}
