package io.raftkv.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/** An inbound callback that records what arrives; thread-safe, as the transport requires. */
final class Inbox implements Consumer<PeerMessage> {
    private final ConcurrentLinkedQueue<PeerMessage> messages = new ConcurrentLinkedQueue<>();

    @Override
    public void accept(PeerMessage message) {
        messages.add(message);
    }

    int size() {
        return messages.size();
    }

    List<PeerMessage> messages() {
        return new ArrayList<>(messages);
    }

    void awaitAtLeast(int count, String what) {
        Await.until(() -> messages.size() >= count, () -> what + ": " + messages.size() + " of " + count + " arrived");
    }
}
