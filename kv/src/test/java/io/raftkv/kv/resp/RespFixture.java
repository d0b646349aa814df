package io.raftkv.kv.resp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/** A {@link RespServer} on 127.0.0.1 over a {@link DirectApplyBackend}, plus client helpers. */
final class RespFixture implements AutoCloseable {

    final DirectApplyBackend backend = new DirectApplyBackend();
    final RespServer server;
    final int port;

    private RespFixture(RespServerConfig config) throws InterruptedException {
        server = new RespServer(config, backend);
        InetSocketAddress address = server.start();
        port = address.getPort();
    }

    static RespFixture start() throws InterruptedException {
        return start(builder -> { });
    }

    static RespFixture start(Consumer<RespServerConfig.Builder> customizer) throws InterruptedException {
        RespServerConfig.Builder builder = RespServerConfig.builder().bindHost("127.0.0.1").port(0).ioThreads(2);
        customizer.accept(builder);
        return new RespFixture(builder.build());
    }

    Jedis jedis() {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    Socket rawSocket() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A command Jedis has no enum constant for (CAS, HELLO, ...). */
    static ProtocolCommand command(String name) {
        byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        return () -> raw;
    }

    static void send(Socket socket, String resp) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(resp.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one CRLF-terminated line, or null at end of stream. */
    static String readLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.length() == 0 ? null : line.toString();
            }
            if (previous == '\r' && b == '\n') {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
            previous = b;
        }
    }

    /** Reads until the peer closes the connection; true if it did within the socket timeout. */
    static boolean closedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // drain whatever came before the close (an error line)
            }
            return true;
        } catch (java.net.SocketException e) {
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        backend.close();
    }
}
