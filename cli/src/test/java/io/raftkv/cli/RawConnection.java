package io.raftkv.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain socket to a node's client port, for bytes no Redis client would send. */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(ServerProcess node, Duration readTimeout) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(ServerProcess.HOST, node.clientPort), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + node, e);
        }
    }

    RawConnection send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One reply line without its CRLF (for {@code +}, {@code -} and {@code :} replies); fails on EOF. */
    String readLine() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\r') {
                    int lf = in.read();
                    if (lf != '\n') {
                        throw new AssertionError("reply line not ended by CRLF: " + line);
                    }
                    return line.toString(StandardCharsets.ISO_8859_1);
                }
                line.write(c);
            }
            throw new AssertionError("the server closed the connection; got so far: '" + line + "'");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bulk string reply's content (null for nil). */
    String readBulk() {
        String header = readLine();
        if (!header.startsWith("$")) {
            throw new AssertionError("expected a bulk reply, got '" + header + "'");
        }
        int length = Integer.parseInt(header.substring(1));
        if (length < 0) {
            return null;
        }
        try {
            byte[] data = in.readNBytes(length + 2);
            return new String(data, 0, length, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the server closes the connection (EOF or reset) and returns what it sent before;
     * fails if it is still open after {@code timeout}.
     */
    String readUntilClosed(Duration timeout) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            socket.setSoTimeout(200);
            byte[] buffer = new byte[8192];
            while (System.nanoTime() - deadline < 0) {
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return received.toString(StandardCharsets.ISO_8859_1);
                    }
                    received.write(buffer, 0, n);
                } catch (SocketTimeoutException e) {
                    // still open: keep waiting
                } catch (IOException e) {
                    return received.toString(StandardCharsets.ISO_8859_1); // reset by the server
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the server kept the connection open for " + timeout.toMillis() + " ms; it sent: '"
                + received.toString(StandardCharsets.ISO_8859_1) + "'");
    }

    /** Closes with a TCP reset (SO_LINGER 0): an abrupt disconnect. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** A RESP array of bulk strings. */
    static String command(String... args) {
        StringBuilder text = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            text.append('$').append(arg.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(arg)
                    .append("\r\n");
        }
        return text.toString();
    }
}
