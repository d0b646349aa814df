package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.HeartbeatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Raw sockets sending bad input to a running transport (SPEC §8): each bad connection is closed with
 * one log line naming its remote address and the reason, and a healthy peer's connection, open all
 * along, keeps delivering.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");

    private final PeerMessageCodec codec = PeerMessageCodec.withDefaults();
    private final Inbox inbox1 = new Inbox();
    private NettyPeerTransport t1;
    private NettyPeerTransport t2;
    private long round;
    private LogCapture log;

    @BeforeEach
    void startHealthyPair() {
        t1 = TestNodes.start("n1", inbox1);
        t2 = TestNodes.start("n2", new Inbox());
        t2.setPeerAddress(N1, t1.boundAddress());
        assertHealthyPeerStillDelivers();
        log = new LogCapture(InboundMessageHandler.class);
    }

    @AfterEach
    void close() {
        log.close();
        t1.close();
        t2.close();
    }

    @Test
    void randomGarbage() throws IOException {
        byte[] garbage = new byte[4096];
        new SplittableRandom(1).nextBytes(garbage);
        garbage[0] = 0; // keep the length prefix under the limit, so the frame fails on its content
        garbage[4] = (byte) 0x47;
        assertClosedWithOneLogLine(garbage, "not a raftkv peer frame");
    }

    @Test
    void anotherProtocolSpeakingToThePeerPort() throws IOException {
        assertClosedWithOneLogLine("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(), "exceeds the limit");
    }

    @Test
    void anOversizedLengthPrefix() throws IOException {
        assertClosedWithOneLogLine(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "exceeds the limit");
    }

    @Test
    void anUnknownProtocolVersion() throws IOException {
        byte[] frame = Frames.encode(codec, heartbeatTo(N1));
        frame[4] = (byte) 0xA7;
        assertClosedWithOneLogLine(frame, "unsupported protocol version 7");
    }

    @Test
    void anUnknownMessageType() throws IOException {
        byte[] frame = Frames.encode(codec, heartbeatTo(N1));
        frame[5] = (byte) 200;
        assertClosedWithOneLogLine(frame, "unknown message type 200");
    }

    @Test
    void aWellFormedFrameWithAnOutOfRangeField() throws IOException {
        byte[] frame = Frames.encode(codec, heartbeatTo(N1));
        Arrays.fill(frame, 6, 14, (byte) 0xff); // term = -1
        assertClosedWithOneLogLine(frame, "term must be >= 0");
    }

    @Test
    void aValidFrameThenATruncatedOneThenDisconnecting() throws IOException {
        byte[] valid = Frames.encode(codec, heartbeatTo(N1));
        byte[] input = new byte[valid.length * 2 - 5];
        System.arraycopy(valid, 0, input, 0, valid.length);
        System.arraycopy(valid, 0, input, valid.length, valid.length - 5);
        int before = inbox1.size();
        try (Socket socket = new Socket(TestNodes.LOOPBACK, t1.boundAddress().getPort())) {
            String remote = ":" + socket.getLocalPort();
            OutputStream out = socket.getOutputStream();
            out.write(input);
            out.flush();
            inbox1.awaitAtLeast(before + 1, "the valid frame before the truncated one");
            socket.shutdownOutput(); // the peer goes away inside the second frame
            awaitOneLogLine(remote, "connection closed inside a frame");
        }
        assertHealthyPeerStillDelivers();
    }

    @Test
    void manyBadConnectionsInARow() throws IOException {
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[64];
            new SplittableRandom(i).nextBytes(garbage);
            garbage[0] = 0;
            garbage[4] = 0x11;
            assertClosedWithOneLogLine(garbage, "not a raftkv peer frame");
        }
        assertThat(t1.stats().connectionsRejected()).isEqualTo(20);
    }

    /** Sends {@code input} on a fresh connection, expects the server to close it and log one line, then checks the healthy peer. */
    private void assertClosedWithOneLogLine(byte[] input, String reason) throws IOException {
        long rejectedBefore = t1.stats().connectionsRejected();
        try (Socket socket = new Socket(TestNodes.LOOPBACK, t1.boundAddress().getPort())) {
            String remote = ":" + socket.getLocalPort();
            socket.getOutputStream().write(input);
            socket.getOutputStream().flush();
            assertClosedByServer(socket);
            awaitOneLogLine(remote, reason);
        }
        assertThat(t1.stats().connectionsRejected()).isEqualTo(rejectedBefore + 1);
        assertHealthyPeerStillDelivers();
    }

    private void awaitOneLogLine(String remote, String reason) {
        Await.until(() -> !log.lines(Level.WARN, remote).isEmpty(), () -> "a log line naming " + remote);
        assertThat(log.lines(Level.WARN, remote)).hasSize(1).first().asString()
                .contains("closing peer connection from").contains(reason);
    }

    private static void assertClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        try {
            int read = in.read();
            assertThat(read).as("the server never writes on an inbound connection; -1 means closed").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            fail("the server did not close the connection within 10 s");
        } catch (SocketException e) {
            // "Connection reset": the server closed with our unread bytes in its buffer. Closed all the same.
            assertThat(e.getMessage()).containsIgnoringCase("reset");
        }
    }

    /** The connection from n2, established before the bad input, still carries messages; no reconnect was needed. */
    private void assertHealthyPeerStillDelivers() {
        int before = inbox1.size();
        long establishedBefore = t2.stats().connectionsEstablished();
        t2.send(heartbeatFrom(N2));
        inbox1.awaitAtLeast(before + 1, "n2's heartbeat");
        if (establishedBefore > 0) {
            assertThat(t2.stats().connectionsEstablished()).isEqualTo(establishedBefore);
        }
    }

    private PeerMessage heartbeatTo(NodeId to) {
        return new RaftEnvelope(new HeartbeatRequest(1, N2, to, 0, round++));
    }

    private PeerMessage heartbeatFrom(NodeId from) {
        return new RaftEnvelope(new HeartbeatRequest(1, from, N1, 0, round++));
    }
}
