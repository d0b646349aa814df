package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.NodeId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code raftkv server} refuses contradictory or unusable cluster options before it starts anything. */
class ServerOptionsTest {
    @TempDir
    Path dir;

    /** Runs {@code raftkv server ...}; returns the exit status and what went to stderr. */
    private static Map.Entry<Integer, String> server(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int status;
        try (PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(stream);
            String[] all = new String[args.length + 1];
            all[0] = "server";
            System.arraycopy(args, 0, all, 1, args.length);
            status = Main.run(all);
        } finally {
            System.setErr(original);
        }
        return Map.entry(status, err.toString(StandardCharsets.UTF_8));
    }

    private String[] base(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--id", "n4", "--data-dir", dir.resolve("n4").toString(),
                "--raft-addr", "127.0.0.1:1", "--client-addr", "127.0.0.1:2"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void contradictoryOrIncompleteClusterOptionsAreRefused() {
        assertThat(server(base("--peers", "n4=127.0.0.1:1", "--join", "127.0.0.1:3")))
                .satisfies(r -> assertThat(r.getKey()).isEqualTo(2))
                .satisfies(r -> assertThat(r.getValue()).contains("either --peers").contains("or --join"));
        assertThat(server(base("--peers", "n4=127.0.0.1:1", "--learner")).getValue())
                .contains("--learner goes with --join");
        assertThat(server(base("--peers", "n4=127.0.0.1:1", "--snapshot-every-entries", "0")).getValue())
                .contains("--snapshot-every-entries must be at least 1");
        assertThat(server(base("--peers", "n4=127.0.0.1:1", "--peer-address", "n5")).getValue())
                .contains("--peer-address entries must be ID=HOST:PORT");
        assertThat(server(base("--peers", "n1=127.0.0.1:1")).getValue()).contains("--peers must include this node (n4)");
        assertThat(server(base()).getValue()).contains("missing --peers");
        assertThat(server("--id", "n4", "--data-dir", dir.toString(), "--raft-addr", "0.0.0.0:7100", "--client-addr",
                "127.0.0.1:2", "--join", "127.0.0.1:3").getValue()).contains("not the wildcard");
    }

    @Test
    void joiningRefusesADataDirectoryThatHoldsAnotherNodesState() throws Exception {
        Files.createDirectories(dir.resolve("n4/wal"));
        Map.Entry<Integer, String> result = server(base("--join", "127.0.0.1:3"));
        assertThat(result.getKey()).isEqualTo(2);
        assertThat(result.getValue()).contains("already holds a node's state").contains("--join is for a new server");
    }

    @Test
    void theVotersComeFromAMembersInfoAndAWipedVoterMustBeRemovedFirst() {
        String info = "# Raft\r\nraft_node_id:n1\r\nraft_role:leader\r\nraft_voters:n1,n2\r\nraft_learners:n4\r\n"
                + "raft_member_addrs:n1=10.0.0.1:7100,n2=10.0.0.2:7100,n4=10.0.0.4:7100\r\n";
        assertThat(ClusterJoin.votersFrom(NodeId.of("n4"), "e", info)).containsExactly(
                Map.entry(NodeId.of("n1"), InetSocketAddress.createUnresolved("10.0.0.1", 7100)),
                Map.entry(NodeId.of("n2"), InetSocketAddress.createUnresolved("10.0.0.2", 7100)));
        assertThatThrownBy(() -> ClusterJoin.votersFrom(NodeId.of("n2"), "e", info))
                .hasMessageContaining("n2 is already a voter").hasMessageContaining("remove it first");
        assertThatThrownBy(() -> ClusterJoin.votersFrom(NodeId.of("n4"), "e",
                "raft_voters:n1,n3\r\nraft_member_addrs:n1=10.0.0.1:7100\r\n"))
                .hasMessageContaining("does not know the Raft address of voter n3");
    }
}
