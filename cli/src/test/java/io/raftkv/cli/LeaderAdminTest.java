package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.client.LeaderAdmin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an administration request treats each kind of answer, against scripted Redis-protocol servers. */
class LeaderAdminTest {
    /** Answers each request (one per connection) with the next scripted reply line. */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket;
        final Deque<String> replies;  // taken by the server thread; the tests add before sending
        final Thread thread;

        ScriptedServer(String... replies) throws IOException {
            this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            this.replies = new java.util.concurrent.ConcurrentLinkedDeque<>(List.of(replies));
            this.thread = new Thread(this::serve, "scripted-resp");
            thread.setDaemon(true);
            thread.start();
        }

        String endpoint() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    InputStream in = client.getInputStream();
                    OutputStream out = client.getOutputStream();
                    while (readRequest(in)) {
                        String reply = replies.isEmpty() ? "-ERR script exhausted" : replies.poll();
                        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** Reads one RESP array of bulk strings; false at end of stream. */
        private static boolean readRequest(InputStream in) throws IOException {
            String header = line(in);
            if (header == null) {
                return false;
            }
            int count = Integer.parseInt(header.substring(1));
            for (int i = 0; i < count; i++) {
                int length = Integer.parseInt(line(in).substring(1));
                in.readNBytes(length + 2);
            }
            return true;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    return b.toString().strip();
                }
                b.append((char) c);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void retriesWhatMayPassLaterAndFollowsTheLeader() throws Exception {
        try (ScriptedServer leader = new ScriptedServer("-UNKNOWN timed out waiting for the command", "+OK already done");
             ScriptedServer follower = new ScriptedServer("-TRYAGAIN election running")) {
            follower.replies.add("-NOTLEADER leader=n2 addr=" + leader.endpoint());
            LeaderAdmin.Outcome outcome = new LeaderAdmin(List.of(follower.endpoint()))
                    .send(10_000, "RAFT", "ADD-LEARNER", "n4", "127.0.0.1:7104");
            assertThat(outcome).isEqualTo(new LeaderAdmin.Done("OK already done"));
            assertThat(leader.replies).isEmpty();
        }
    }

    @Test
    void aFinalErrorIsNotRetriedAndADeadlineEndsTheAttempts() throws Exception {
        try (ScriptedServer server = new ScriptedServer("-ERR n9 is not a voter", "+OK")) {
            assertThat(new LeaderAdmin(List.of(server.endpoint())).send(10_000, "RAFT", "TRANSFER-LEADER", "n9"))
                    .isEqualTo(new LeaderAdmin.Refused("ERR n9 is not a voter"));
        }
        try (ScriptedServer busy = new ScriptedServer("-BUSY a change is pending", "-BUSY a change is pending",
                "-BUSY a change is pending", "-BUSY a change is pending", "-BUSY a change is pending")) {
            LeaderAdmin.Outcome outcome = new LeaderAdmin(List.of(busy.endpoint())).send(500, "RAFT", "PROMOTE", "n4");
            assertThat(outcome).isInstanceOf(LeaderAdmin.GaveUp.class);
            assertThat(outcome.text()).contains("BUSY a change is pending");
        }
    }
}
