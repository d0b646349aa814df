package io.raftkv.lincheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperationTest {

    @Test
    void unknownOperationHasNoReturnAndAnyOutput() {
        Operation op = Operation.unknown(3, RegisterInput.write(1), 7);
        assertThat(op.isUnknown()).isTrue();
        assertThat(op.returnTime()).isEqualTo(Operation.UNKNOWN_RETURN).isEqualTo(Long.MAX_VALUE);
        assertThat(op.output()).isSameAs(UnknownOutput.INSTANCE);
        assertThat(UnknownOutput.is(op.output())).isTrue();
        assertThat(UnknownOutput.is(null)).isFalse();
    }

    @Test
    void outputOfAnOperationWithoutReturnIsNormalizedToUnknown() {
        Operation op = new Operation(3, RegisterInput.read(), 5, 7, Long.MAX_VALUE);
        assertThat(op.output()).isSameAs(UnknownOutput.INSTANCE);
    }

    @Test
    void completedOperationKeepsNullOutput() {
        Operation op = Operation.completed(3, RegisterInput.read(), null, 7, 7);
        assertThat(op.isUnknown()).isFalse();
        assertThat(op.output()).isNull();
    }

    @Test
    void rejectsInvalidIntervals() {
        assertThatThrownBy(() -> Operation.completed(0, RegisterInput.read(), null, 5, 4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Operation.unknown(0, RegisterInput.read(), Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Operation.completed(0, null, null, 0, 1))
                .isInstanceOf(NullPointerException.class);
    }
}
