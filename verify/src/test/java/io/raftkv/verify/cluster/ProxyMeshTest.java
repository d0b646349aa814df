package io.raftkv.verify.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxies between nodes: bytes pass while a link is up, vanish silently while it is cut, and
 * connections that lost bytes are closed on heal so that no stream resumes with a hole in it.
 */
class ProxyMeshTest {
    private final Map<String, Sink> sinks = new LinkedHashMap<>();
    private ProxyMesh mesh;

    /** A "node": accepts connections and queues every line it receives. */
    private static final class Sink implements AutoCloseable {
        final ServerSocket server;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<Socket> accepted = new ArrayList<>();

        Sink() throws IOException {
            server = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket socket = server.accept();
                        synchronized (accepted) {
                            accepted.add(socket);
                        }
                        Thread reader = new Thread(() -> readLines(socket));
                        reader.setDaemon(true);
                        reader.start();
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void readLines(Socket socket) {
            try (InputStream in = socket.getInputStream()) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                    if (c == '\n') {
                        lines.add(line.toString());
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
            } catch (IOException closed) {
                // connection closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (accepted) {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            Sink sink = new Sink();
            sinks.put(id, sink);
            ports.put(id, sink.server.getLocalPort());
        }
        mesh = new ProxyMesh("127.0.0.1", ports);
    }

    @AfterEach
    void stop() throws IOException {
        mesh.close();
        for (Sink sink : sinks.values()) {
            sink.close();
        }
    }

    private Socket connect(String from, String to) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", mesh.port(from, to)), 2_000);
        socket.setSoTimeout(2_000);
        return socket;
    }

    private static void send(Socket socket, String line) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void relaysEachDirectionToItsTarget() throws Exception {
        try (Socket toN2 = connect("n1", "n2"); Socket toN3 = connect("n1", "n3")) {
            send(toN2, "hello n2");
            send(toN3, "hello n3");
            assertThat(sinks.get("n2").lines.poll(5, TimeUnit.SECONDS)).isEqualTo("hello n2");
            assertThat(sinks.get("n3").lines.poll(5, TimeUnit.SECONDS)).isEqualTo("hello n3");
        }
    }

    @Test
    void aCutLinkDropsSilentlyAndHealingClosesTheDamagedConnection() throws Exception {
        try (Socket link = connect("n1", "n2")) {
            send(link, "before");
            assertThat(sinks.get("n2").lines.poll(5, TimeUnit.SECONDS)).isEqualTo("before");

            mesh.cut("n1", "n2");
            assertThat(mesh.cutLinks()).containsExactly("n1->n2");
            send(link, "during");
            // The sender sees no error: the bytes vanish, as in a partitioned network.
            assertThat(sinks.get("n2").lines.poll(500, TimeUnit.MILLISECONDS)).isNull();
            try (Socket newDuringCut = connect("n1", "n2")) {
                send(newDuringCut, "new during cut");
                assertThat(sinks.get("n2").lines.poll(500, TimeUnit.MILLISECONDS)).isNull();
            }

            mesh.healAll();
            assertThat(mesh.cutLinks()).isEmpty();
            // The connection with a hole in its stream is closed, never resumed.
            assertThat(readsEndOfStream(link)).isTrue();
        }
        try (Socket fresh = connect("n1", "n2")) {
            send(fresh, "after");
            assertThat(sinks.get("n2").lines.poll(5, TimeUnit.SECONDS)).isEqualTo("after");
        }
        assertThat(sinks.get("n2").lines).isEmpty();
    }

    private static boolean readsEndOfStream(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void oneWayCutLeavesTheOtherDirectionUp() throws Exception {
        mesh.cut("n1", "n2");
        try (Socket forward = connect("n1", "n2"); Socket back = connect("n2", "n1")) {
            send(forward, "lost");
            send(back, "delivered");
            assertThat(sinks.get("n1").lines.poll(5, TimeUnit.SECONDS)).isEqualTo("delivered");
            assertThat(sinks.get("n2").lines.poll(500, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void partitionCutsOnlyBetweenGroupsAndLeavesABridgeConnected() {
        mesh.partition(List.of(Set.of("n1"), Set.of("n3")));
        assertThat(mesh.cutLinks()).containsExactlyInAnyOrder("n1->n3", "n3->n1");
        mesh.healAll();
        mesh.partition(List.of(Set.of("n1"), Set.of("n2", "n3")));
        assertThat(mesh.cutLinks()).containsExactlyInAnyOrder("n1->n2", "n2->n1", "n1->n3", "n3->n1");
    }
}
