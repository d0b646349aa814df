package io.raftkv.verify.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 client: one request, one reply, with timeouts. The command line
 * ({@code cluster status}, {@code get}, {@code set}, {@code del}) and the verifier's clients use
 * it; the verifier needs to tell a refused connection, a timeout and each error reply apart,
 * which is why it is not a pooled general-purpose client. Replies become Java values:
 * simple strings and bulk strings as String, integers as Long, arrays as List, nil as null, and
 * errors as {@link ErrorReply}.
 */
public final class RespClient implements AutoCloseable {
    /** An error reply ({@code -ERR ...}). */
    public record ErrorReply(String message) {
        /** The error's code: its first word, e.g. {@code NOTLEADER}. */
        public String code() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }

    private static final int MAX_BULK_BYTES = 512 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * Connects.
     *
     * @param hostAndPort   the server's client address
     * @param timeoutMillis the connect timeout and the read timeout of every call
     * @throws IOException if the connection cannot be made in time
     */
    public RespClient(String hostAndPort, int timeoutMillis) throws IOException {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("endpoint must be HOST:PORT, not '" + hostAndPort + "'");
        }
        String host = hostAndPort.substring(0, colon);
        int port = Integer.parseInt(hostAndPort.substring(colon + 1));
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    /**
     * Sends one command and waits for its reply.
     *
     * @return the reply: String, Long, List, null or {@link ErrorReply}
     * @throws java.net.SocketTimeoutException if no reply came within the timeout
     * @throws IOException if the connection failed or the reply was malformed
     */
    public Object call(String... args) throws IOException {
        out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        return readReply();
    }

    private Object readReply() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed by the server");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                if (length > MAX_BULK_BYTES) {
                    throw new IOException("reply of " + length + " bytes is too large");
                }
                byte[] data = in.readNBytes(length);
                if (data.length != length || in.read() != '\r' || in.read() != '\n') {
                    throw new IOException("truncated bulk reply");
                }
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    items.add(readReply());
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type '" + (char) type + "'");
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed reply line");
                }
                return line.toString();
            }
            line.append((char) c);
            if (line.length() > 65_536) {
                throw new IOException("reply line too long");
            }
        }
        throw new IOException("connection closed in the middle of a reply");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
