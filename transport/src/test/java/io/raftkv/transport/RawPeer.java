package io.raftkv.transport;

import io.raftkv.core.message.InstallSnapshotRequest;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A misbehaving peer made of plain sockets on 127.0.0.1. {@link Mode#NEVER_READ} accepts connections
 * and never reads them (a hung process). {@link Mode#STALL_ON_SNAPSHOT} decodes frames but stops
 * reading a connection for good once it carries a snapshot chunk (a follower whose disk hangs while
 * installing a snapshot), so that connection's sender backs up completely.
 */
final class RawPeer implements AutoCloseable {
    enum Mode { NEVER_READ, STALL_ON_SNAPSHOT }

    private final Mode mode;
    private final PeerMessageCodec codec = PeerMessageCodec.withDefaults();
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<PeerMessage> received = new ConcurrentLinkedQueue<>();
    private volatile int stalledConnections;

    RawPeer(Mode mode) {
        this.mode = mode;
        try {
            server = new ServerSocket(0, 50, TestNodes.LOOPBACK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start("raw-peer-accept", this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(TestNodes.LOOPBACK, server.getLocalPort());
    }

    /** Messages decoded so far, in arrival order per connection. */
    List<PeerMessage> received() {
        return List.copyOf(received);
    }

    int stalledConnections() {
        return stalledConnections;
    }

    private void acceptLoop() {
        try {
            while (!server.isClosed()) {
                Socket socket = server.accept();
                sockets.add(socket);
                if (mode == Mode.STALL_ON_SNAPSHOT) {
                    start("raw-peer-read", () -> readUntilSnapshot(socket));
                }
            }
        } catch (SocketException closed) {
            // close() closed the server socket: the accept loop ends.
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readUntilSnapshot(Socket socket) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = in.readInt();
                byte[] frame = new byte[PeerMessageCodec.LENGTH_FIELD_BYTES + length];
                ByteBuffer.wrap(frame).putInt(length);
                in.readFully(frame, PeerMessageCodec.LENGTH_FIELD_BYTES, length);
                PeerMessage message = Frames.decode(codec, frame);
                if (message instanceof RaftEnvelope envelope && envelope.message() instanceof InstallSnapshotRequest) {
                    stalledConnections++;
                    closing.await(); // never read this connection again
                    return;
                }
                received.add(message);
            }
        } catch (IOException | CorruptFrameException e) {
            // The sender closed the connection, or the test is closing the socket: reading ends.
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    @Override
    public void close() {
        closing.countDown();
        try {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while closing the raw peer", e);
        }
    }
}
