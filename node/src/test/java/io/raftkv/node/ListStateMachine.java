package io.raftkv.node;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test state machine: the list of applied commands. "fail:..." commands are rejected
 * deterministically; the result of a command is its position in the list.
 */
final class ListStateMachine implements StateMachine {
    private volatile List<String> applied = new ArrayList<>();

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        String text = new String(command, StandardCharsets.UTF_8);
        if (text.startsWith("fail:")) {
            throw new CommandRejectedException("rejected " + text);
        }
        List<String> next = new ArrayList<>(applied);
        next.add(text);
        applied = next;
        return String.valueOf(next.size()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized Snapshot snapshot() {
        List<String> view = applied; // copy-on-write: this list is never modified again
        return out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(view.size());
            for (String s : view) {
                data.writeUTF(s);
            }
            data.flush();
        };
    }

    @Override
    public synchronized void restore(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int size = data.readInt();
        List<String> restored = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            restored.add(data.readUTF());
        }
        applied = restored;
    }

    List<String> applied() {
        return applied;
    }

}
