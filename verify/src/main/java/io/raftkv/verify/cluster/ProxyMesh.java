package io.raftkv.verify.cluster;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LinkProxy} for every ordered pair of nodes: the network between the servers, which the
 * partition nemesis cuts and heals. Clients do not go through it; they reach every node directly,
 * as clients on the far side of a partition between servers would.
 */
public final class ProxyMesh implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(2, runnable -> {
        Thread thread = new Thread(runnable, "verify-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, LinkProxy> links = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    /**
     * Starts the proxies.
     *
     * @param host      the address every proxy and server listens on
     * @param raftPorts every node's own Raft port
     */
    public ProxyMesh(String host, Map<String, Integer> raftPorts) throws InterruptedException {
        boolean started = false;
        try {
            for (String from : raftPorts.keySet()) {
                for (Map.Entry<String, Integer> to : raftPorts.entrySet()) {
                    if (from.equals(to.getKey())) {
                        continue;
                    }
                    LinkProxy link = new LinkProxy(from, to.getKey(), new InetSocketAddress(host, to.getValue()), group);
                    links.put(key(from, to.getKey()), link);
                    ports.put(key(from, to.getKey()), link.start(host));
                }
            }
            started = true;
        } finally {
            if (!started) {
                close();
            }
        }
    }

    private static String key(String from, String to) {
        return from + "->" + to;
    }

    /** The port {@code from} must use to reach {@code to}. */
    public int port(String from, String to) {
        Integer port = ports.get(key(from, to));
        if (port == null) {
            throw new IllegalArgumentException("no link " + key(from, to));
        }
        return port;
    }

    /** Cuts the link carrying what {@code from} sends to {@code to} (one direction). */
    public synchronized void cut(String from, String to) {
        links.get(key(from, to)).cut();
    }

    /**
     * Cuts every link between nodes of different groups, both ways. Nodes not in any group keep
     * all their links (a bridge).
     */
    public synchronized void partition(List<Set<String>> groups) {
        for (LinkProxy link : links.values()) {
            int a = groupOf(groups, link.from());
            int b = groupOf(groups, link.to());
            if (a >= 0 && b >= 0 && a != b) {
                link.cut();
            }
        }
    }

    private static int groupOf(List<Set<String>> groups, String node) {
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).contains(node)) {
                return i;
            }
        }
        return -1;
    }

    /** Heals every link. */
    public synchronized void healAll() {
        links.values().forEach(LinkProxy::heal);
    }

    /** The links currently cut, e.g. {@code [n1->n2, n2->n1]}. */
    public synchronized List<String> cutLinks() {
        List<String> cut = new ArrayList<>();
        for (Map.Entry<String, LinkProxy> link : links.entrySet()) {
            if (link.getValue().isCut()) {
                cut.add(link.getKey());
            }
        }
        return cut;
    }

    @Override
    public synchronized void close() {
        links.values().forEach(LinkProxy::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
