package io.raftkv.core.membership;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.harness.TestNode;

/** Hand-driven leaders for the membership tests. */
final class Leaders {
    private Leaders() {}

    /**
     * n1 elected among {@code voters}, with its no-op committed through n2's acknowledgement: a leader
     * that may change the configuration (thesis §4.1). Its outbox is empty.
     */
    static TestNode readyLeader(TestNode.Builder builder) {
        TestNode leader = builder.build();
        leader.electSelf();
        long term = leader.core().currentTerm();
        leader.step(appendAccepted("n2", "n1", term, leader.core().log().lastIndex()));
        assertThat(leader.core().log().commitIndex()).isEqualTo(leader.core().log().lastIndex());
        leader.takeSent();
        return leader;
    }

    static TestNode readyLeader(String... voters) {
        return readyLeader(TestNode.builder("n1").voters(voters));
    }
}
