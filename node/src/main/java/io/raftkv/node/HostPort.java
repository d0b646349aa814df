package io.raftkv.node;

import java.net.InetSocketAddress;

/** {@code HOST:PORT} text, the form addresses take on the command line and in configuration entries. */
public final class HostPort {
    private HostPort() {
    }

    /**
     * Parses {@code host:port} (the last colon separates the port, so {@code [::1]:7000} works) into
     * an unresolved address: the name is looked up when a connection is made, never on the caller's
     * thread (the Raft loop must not wait on DNS). Throws {@link IllegalArgumentException} naming
     * what is wrong.
     */
    public static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("must be HOST:PORT, not '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** The {@code host:port} text of {@code address}, as peers should dial it. */
    public static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
