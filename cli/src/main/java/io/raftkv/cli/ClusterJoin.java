package io.raftkv.cli;

import io.raftkv.core.NodeId;
import io.raftkv.node.HostPort;
import io.raftkv.verify.client.LeaderAdmin;
import io.raftkv.verify.client.RespClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a server started with {@code --join} becomes a member of a running cluster (thesis §4.2.1):
 * it asks any member for the voters and their Raft addresses, starts with them as its bootstrap
 * configuration (not being one of them, it never campaigns), asks the leader to add it as a
 * learner, and, once it has caught up from the log or a snapshot, to promote it to voter.
 *
 * <p>What it learned and whether the leader has added it are kept in {@value #STATE_FILE} in the
 * data directory (written durably before they are relied on), so a restart resumes the join rather
 * than starting over; every request it sends is idempotent, so repeating one after a crash is
 * harmless. A server the cluster removed is not added back: its promotion is refused for good.
 */
final class ClusterJoin {
    static final String STATE_FILE = "join.properties";
    private static final Logger log = LoggerFactory.getLogger(ClusterJoin.class);
    private static final long ATTEMPT_MILLIS = 60_000;

    /** The voters the server starts with, and whether the leader has added it. */
    record State(Map<NodeId, InetSocketAddress> voters, boolean added) {}

    private final NodeId self;
    private final String raftAddress;
    private final Path dataDir;
    private final LeaderAdmin leader;
    private final boolean stayLearner;

    ClusterJoin(NodeId self, String raftAddress, Path dataDir, List<String> joinEndpoints, boolean stayLearner) {
        this.self = self;
        this.raftAddress = raftAddress;
        this.dataDir = dataDir;
        this.leader = new LeaderAdmin(joinEndpoints);
        this.stayLearner = stayLearner;
    }

    /**
     * The state a previous start saved, or, for a new server, the voters asked of the join
     * endpoints (retried until one answers). Refuses a data directory that holds state without
     * having joined, and a server the cluster already counts as a voter.
     */
    static State prepare(NodeId self, Path dataDir, List<String> joinEndpoints) throws IOException, InterruptedException {
        Path file = dataDir.resolve(STATE_FILE);
        if (Files.exists(file)) {
            return read(file);
        }
        if (Files.isDirectory(dataDir)) {
            try (var entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(dataDir + " already holds a node's state: --join is for a new "
                            + "server; restart this one with the --peers it was started with");
                }
            }
        }
        Map<NodeId, InetSocketAddress> voters = fetchVoters(self, joinEndpoints);
        State state = new State(voters, false);
        write(dataDir, state);
        return state;
    }

    /** Adds this server as a learner, then promotes it once caught up; runs until done or refused. */
    void run(State state) {
        try {
            if (!state.added()) {
                if (!untilAnswered("RAFT", "ADD-LEARNER", self.value(), raftAddress)) {
                    return;
                }
                write(dataDir, new State(state.voters(), true));
                log.info("{}: added to the cluster as a learner", self);
            }
            if (stayLearner) {
                log.info("{}: staying a learner (--learner); promote it with 'raftkv cluster promote {}'", self, self);
                return;
            }
            if (untilAnswered("RAFT", "PROMOTE", self.value())) {
                log.info("{}: a voter of the cluster", self);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.error("{}: could not record the join in {}: {}", self, dataDir, e.toString());
        }
    }

    /** Sends a request until the leader answers it; false if it was refused for good. */
    private boolean untilAnswered(String... command) throws InterruptedException {
        while (true) {
            LeaderAdmin.Outcome outcome = leader.send(ATTEMPT_MILLIS, command);
            if (outcome instanceof LeaderAdmin.Done) {
                return true;
            }
            if (outcome instanceof LeaderAdmin.Refused refused) {
                log.error("{}: the cluster refused '{}': {}", self, String.join(" ", command), refused.text());
                return false;
            }
            log.warn("{}: '{}' not answered yet, still trying: {}", self, String.join(" ", command), outcome.text());
        }
    }

    private static Map<NodeId, InetSocketAddress> fetchVoters(NodeId self, List<String> endpoints)
            throws InterruptedException {
        long pauseMillis = 200;
        while (true) {
            List<String> errors = new ArrayList<>();
            for (String endpoint : endpoints) {
                try (RespClient client = new RespClient(endpoint, 5_000)) {
                    Object reply = client.call("INFO", "raft");
                    if (reply instanceof String info) {
                        return votersFrom(self, endpoint, info);
                    }
                    errors.add(endpoint + ": " + reply);
                } catch (IOException e) {
                    errors.add(endpoint + ": " + e.getMessage());
                }
            }
            log.warn("{}: no member answered yet ({}); retrying", self, String.join("; ", errors));
            Thread.sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 5_000);
        }
    }

    /** The voters and their addresses from a member's {@code INFO raft}. */
    static Map<NodeId, InetSocketAddress> votersFrom(NodeId self, String endpoint, String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        Map<String, String> addresses = new LinkedHashMap<>();
        for (String pair : fields.getOrDefault("raft_member_addrs", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                addresses.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        Map<NodeId, InetSocketAddress> voters = new LinkedHashMap<>();
        for (String voter : fields.getOrDefault("raft_voters", "").split(",")) {
            if (voter.isBlank()) {
                continue;
            }
            if (voter.equals(self.value())) {
                throw new IllegalStateException(self + " is already a voter of the cluster " + endpoint
                        + " belongs to, but its data directory is new: remove it first "
                        + "('raftkv cluster remove " + self + "'), then join again");
            }
            String address = addresses.get(voter);
            if (address == null) {
                throw new IllegalStateException(endpoint + " does not know the Raft address of voter " + voter);
            }
            voters.put(NodeId.of(voter), HostPort.parse(address));
        }
        if (voters.isEmpty()) {
            throw new IllegalStateException(endpoint + " reported no voters: " + info.strip());
        }
        return voters;
    }

    private static State read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<NodeId, InetSocketAddress> voters = new LinkedHashMap<>();
        try {
            for (String pair : p.getProperty("voters", "").split(",")) {
                int eq = pair.indexOf('=');
                voters.put(NodeId.of(pair.substring(0, eq)), HostPort.parse(pair.substring(eq + 1)));
            }
        } catch (RuntimeException e) {
            throw new IOException(file + " is damaged (voters=" + p.getProperty("voters") + "): " + e.getMessage(), e);
        }
        return new State(voters, Boolean.parseBoolean(p.getProperty("added", "false")));
    }

    /** Writes the state durably: a temporary file, fsync, rename, fsync of the directory. */
    private static void write(Path dataDir, State state) throws IOException {
        Files.createDirectories(dataDir);
        List<String> pairs = new ArrayList<>();
        state.voters().forEach((id, address) -> pairs.add(id.value() + "=" + HostPort.format(address)));
        String text = "# written by raftkv server --join\nvoters=" + String.join(",", pairs) + "\nadded="
                + state.added() + "\n";
        Path tmp = dataDir.resolve(STATE_FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, dataDir.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(dataDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
