package io.raftkv.verify.workload;

import io.raftkv.verify.history.Outcome;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A closed-loop client: sends one request at a time to its node until told to stop. After an
 * operation with an unknown outcome it continues as a new process (Jepsen's rule), since the
 * old one may still have that operation in flight and a process has one operation at a time.
 */
public final class ClientWorker implements Runnable {
    private final int slot;
    private final int processStride;
    private final ClientConnection connection;
    private final RequestGenerator generator;
    private final Random random;
    private final BooleanSupplier running;
    private final Supplier<ClientConnection.Target> target;
    private int process;
    private long sequence;

    /**
     * @param slot          this client's number, 0-based; its first process id
     * @param processStride the number of clients: process ids of one client are {@code slot + k * stride}
     */
    public ClientWorker(int slot, int processStride, ClientConnection connection, RequestGenerator generator,
                        long seed, BooleanSupplier running) {
        this(slot, processStride, connection, generator, seed, running, null);
    }

    /**
     * @param target the node this client should use now, asked before every request; null to stay
     *               on the connection's node. Membership changes move clients onto the current members.
     */
    public ClientWorker(int slot, int processStride, ClientConnection connection, RequestGenerator generator,
                        long seed, BooleanSupplier running, Supplier<ClientConnection.Target> target) {
        this.target = target;
        this.slot = slot;
        this.processStride = processStride;
        this.connection = connection;
        this.generator = generator;
        this.random = new Random(seed);
        this.running = running;
        this.process = slot;
    }

    @Override
    public void run() {
        try {
            while (running.getAsBoolean()) {
                if (target != null) {
                    connection.retarget(target.get());
                }
                Request request = generator.next(random, "p" + process + "-" + (sequence++));
                ClientConnection.Answer answer = connection.execute(process, request, false);
                if (answer.outcome() == Outcome.UNKNOWN) {
                    process += processStride;
                } else if (answer.outcome() == Outcome.FAIL) {
                    // No leader, overloaded or down: back off briefly rather than spin on errors.
                    pause(answer.error() != null && answer.error().startsWith("connect") ? 200 : 20);
                }
            }
        } finally {
            connection.close();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "client " + slot + " on " + connection.node();
    }
}
