package io.raftkv.kv.resp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The text of INFO: Redis's {@code # Section} headers and {@code field:value} lines, with the
 * node's Raft status in a {@code # Raft} section so redis-cli and monitoring tools can read role,
 * term, leader and indexes (R-OPS-3).
 */
final class InfoReport {

    private static final List<String> SECTIONS = List.of("server", "clients", "stats", "raft", "keyspace");

    private InfoReport() {
    }

    /** The report for the requested sections (none, "all", "default" or "everything" mean all). */
    static String render(List<String> requested, ServerContext server) {
        List<String> sections = new ArrayList<>();
        if (requested.isEmpty()) {
            sections.addAll(SECTIONS);
        }
        for (String name : requested) {
            String section = name.toLowerCase(Locale.ROOT);
            if (section.equals("all") || section.equals("default") || section.equals("everything")) {
                sections.clear();
                sections.addAll(SECTIONS);
                break;
            }
            if (SECTIONS.contains(section) && !sections.contains(section)) {
                sections.add(section);
            }
        }
        StringBuilder text = new StringBuilder();
        for (String section : sections) {
            if (text.length() > 0) {
                text.append("\r\n");
            }
            text.append("# ").append(Character.toUpperCase(section.charAt(0))).append(section.substring(1))
                    .append("\r\n");
            fields(section, server).forEach((field, value) ->
                    text.append(clean(field)).append(':').append(clean(value)).append("\r\n"));
        }
        return text.toString();
    }

    private static Map<String, String> fields(String section, ServerContext server) {
        Map<String, String> fields = new LinkedHashMap<>();
        BiConsumer<String, Object> put = (field, value) -> fields.put(field, String.valueOf(value));
        ServerStats stats = server.stats;
        switch (section) {
            case "server" -> {
                put.accept("redis_version", ConnectionCommands.REDIS_COMPATIBLE_VERSION);
                put.accept("raftkv_version", version());
                put.accept("redis_mode", "standalone");
                put.accept("process_id", ProcessHandle.current().pid());
                put.accept("tcp_port", server.port);
                put.accept("uptime_in_seconds", (System.currentTimeMillis() - stats.startedAtMillis) / 1000);
            }
            case "clients" -> {
                put.accept("connected_clients", stats.connectedClients.get());
                put.accept("maxclients", server.config.connectionsMax());
            }
            case "stats" -> {
                put.accept("total_connections_received", stats.connectionsReceived.get());
                put.accept("total_commands_processed", stats.commandsProcessed.get());
                put.accept("rejected_connections", stats.connectionsRejected.get());
                put.accept("protocol_errors", stats.protocolErrors.get());
                put.accept("write_retries", stats.writeRetries.get());
            }
            case "raft" -> fields.putAll(server.backend.raftInfo());
            case "keyspace" -> put.accept("db0", "keys=" + server.backend.stateMachine().readView().size()
                    + ",expires=0,avg_ttl=0");
            default -> throw new IllegalArgumentException("unknown INFO section " + section);
        }
        return fields;
    }

    private static String version() {
        String version = InfoReport.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Keeps each field on its line: no CR, LF or (in names) colons. */
    private static String clean(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
