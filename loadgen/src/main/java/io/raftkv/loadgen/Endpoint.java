package io.raftkv.loadgen;

import java.util.ArrayList;
import java.util.List;

/**
 * A store's client address.
 *
 * @param host host name or IP address
 * @param port TCP port, 1..65535
 */
public record Endpoint(String host, int port) {
    public Endpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("endpoint host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port must be in [1, 65535], not " + port);
        }
    }

    /** Parses {@code host:port}. */
    public static Endpoint parse(String text) {
        String value = text.trim();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("endpoint must be HOST:PORT, not '" + text + "'");
        }
        try {
            return new Endpoint(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in endpoint '" + text + "'", e);
        }
    }

    /** Parses a comma-separated list of {@code host:port}. */
    public static List<Endpoint> parseList(String text) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                endpoints.add(parse(part));
            }
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints in '" + text + "'");
        }
        return List.copyOf(endpoints);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
