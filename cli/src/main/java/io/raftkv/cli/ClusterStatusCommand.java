package io.raftkv.cli;

import io.raftkv.verify.client.RespClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftkv cluster status}: asks every endpoint for {@code INFO raft} and prints one row per
 * member (role, term, leader, commit, applied, match index and last contact as the leader sees them).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each member's role, term, leader, commit and applied index, match index and last contact.")
final class ClusterStatusCommand implements Callable<Integer> {
    @Option(names = "--endpoints", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "Client addresses of members (comma-separated).")
    private List<String> endpoints;

    @Option(names = "--timeout-ms", defaultValue = "2000", description = "Per-endpoint timeout (default ${DEFAULT-VALUE}).")
    private int timeoutMillis;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        List<Map<String, String>> rows = new ArrayList<>();
        Map<String, String> leaderView = new LinkedHashMap<>();
        for (String endpoint : endpoints) {
            Map<String, String> info = new LinkedHashMap<>();
            info.put("endpoint", endpoint);
            try (RespClient client = new RespClient(endpoint, timeoutMillis)) {
                Object reply = client.call("INFO", "raft");
                if (reply instanceof String text) {
                    for (String line : text.split("\r?\n")) {
                        int colon = line.indexOf(':');
                        if (colon > 0 && !line.startsWith("#")) {
                            info.put(line.substring(0, colon), line.substring(colon + 1));
                        }
                    }
                } else {
                    info.put("error", String.valueOf(reply));
                }
            } catch (Exception e) {
                info.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
            }
            if ("leader".equals(info.get("raft_role"))) {
                leaderView.putAll(info);
            }
            rows.add(info);
        }
        out.printf("%-22s %-6s %-10s %-6s %-8s %-10s %-10s %-8s %-12s%n", "ENDPOINT", "ID", "ROLE", "TERM", "LEADER",
                "COMMIT", "APPLIED", "MATCH", "LAST-CONTACT");
        int unreachable = 0;
        for (Map<String, String> row : rows) {
            if (row.containsKey("error")) {
                unreachable++;
                out.printf("%-22s unreachable: %s%n", row.get("endpoint"), row.get("error"));
                continue;
            }
            String id = row.getOrDefault("raft_node_id", "?");
            String match = leaderView.getOrDefault("raft_match_index_" + id,
                    "leader".equals(row.get("raft_role")) ? "-" : "?");
            String contact = leaderView.getOrDefault("raft_last_contact_ms_" + id,
                    "leader".equals(row.get("raft_role")) ? "-" : "?");
            out.printf("%-22s %-6s %-10s %-6s %-8s %-10s %-10s %-8s %-12s%n", row.get("endpoint"), id,
                    row.getOrDefault("raft_role", "?"), row.getOrDefault("raft_term", "?"),
                    row.getOrDefault("raft_leader_id", "-"), row.getOrDefault("raft_commit_index", "?"),
                    row.getOrDefault("raft_applied_index", "?"), match,
                    contact.equals("-") || contact.equals("?") ? contact : contact + " ms");
        }
        if (!leaderView.isEmpty()) {
            out.printf("voters: %s   learners: %s%n", leaderView.getOrDefault("raft_voters", "?"),
                    leaderView.getOrDefault("raft_learners", "").isEmpty() ? "none" : leaderView.get("raft_learners"));
        }
        return unreachable == rows.size() ? 1 : 0;
    }
}
