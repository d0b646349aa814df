package io.raftkv.lincheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsTest {

    private static final Object ANY = UnknownOutput.INSTANCE;

    @Test
    void casRegisterSteps() {
        Model<Object> m = RegisterModels.casRegister();
        assertThat(m.init()).isNull();
        assertThat(m.step(null, RegisterInput.read(), null)).isEqualTo(StepResult.ok(null));
        assertThat(m.step(1, RegisterInput.read(), 2).legal()).isFalse();
        assertThat(m.step(1, RegisterInput.read(), ANY)).isEqualTo(StepResult.ok(1));
        assertThat(m.step(1, RegisterInput.write(2), null)).isEqualTo(StepResult.ok(2));
        assertThat(m.step(1, RegisterInput.cas(1, 3), true)).isEqualTo(StepResult.ok(3));
        assertThat(m.step(1, RegisterInput.cas(1, 3), false).legal()).isFalse();
        assertThat(m.step(2, RegisterInput.cas(1, 3), false)).isEqualTo(StepResult.ok(2));
        assertThat(m.step(2, RegisterInput.cas(1, 3), true).legal()).isFalse();
        assertThat(m.step(1, RegisterInput.cas(1, 3), ANY)).isEqualTo(StepResult.ok(3));
        assertThat(m.step(2, RegisterInput.cas(1, 3), ANY)).isEqualTo(StepResult.ok(2));
        assertThat(RegisterModels.casRegister(0).init()).isEqualTo(0);
    }

    @Test
    void kvReadsAbsentKeysAsEmptyString() {
        Model<String> m = KvModels.kv();
        assertThat(m.init()).isEmpty();
        assertThat(m.step("", KvInput.get("k"), "").legal()).isTrue();
        assertThat(m.step("", KvInput.get("k"), null).legal()).isFalse();
        assertThat(m.step("", KvInput.append("k", "a"), null)).isEqualTo(StepResult.ok("a"));
        assertThat(m.step("a", KvInput.append("k", "b"), null)).isEqualTo(StepResult.ok("ab"));
        assertThat(m.step("ab", KvInput.put("k", "c"), null)).isEqualTo(StepResult.ok("c"));
    }

    @Test
    void casKvReadsAbsentKeysAsNull() {
        Model<String> m = KvModels.casKv();
        assertThat(m.init()).isNull();
        assertThat(m.step(null, KvInput.get("k"), null)).isEqualTo(StepResult.ok(null));
        assertThat(m.step(null, KvInput.get("k"), "").legal()).isFalse();
        assertThat(m.step(null, KvInput.cas("k", null, "a"), true)).isEqualTo(StepResult.ok("a"));
        assertThat(m.step("a", KvInput.cas("k", null, "b"), false)).isEqualTo(StepResult.ok("a"));
        assertThat(m.step("a", KvInput.cas("k", "a", "b"), true)).isEqualTo(StepResult.ok("b"));
        assertThat(m.step("a", KvInput.cas("k", "a", "b"), ANY)).isEqualTo(StepResult.ok("b"));
        assertThat(m.step(null, KvInput.append("k", "x"), null)).isEqualTo(StepResult.ok("x"));
    }

    @Test
    void kvModelsPartitionByKeyInOrderOfFirstAppearance() {
        List<Operation> history = List.of(
                Operation.completed(0, KvInput.put("b", "1"), null, 0, 1),
                Operation.completed(0, KvInput.put("a", "1"), null, 2, 3),
                Operation.completed(0, KvInput.get("b"), "1", 4, 5));
        assertThat(KvModels.casKv().partition(history))
                .extracting(Partition::name, p -> p.operations().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("key=b", 2),
                        org.assertj.core.groups.Tuple.tuple("key=a", 1));
        assertThat(RegisterModels.casRegister().partition(history)).singleElement()
                .extracting(Partition::name).isEqualTo("all");
    }

    @Test
    void descriptionsAreReadable() {
        assertThat(KvModels.casKv().describe(KvInput.get("x"), "1")).isEqualTo("get(x) -> \"1\"");
        assertThat(KvModels.casKv().describe(KvInput.put("x", "1"), null)).isEqualTo("put(x, \"1\")");
        assertThat(KvModels.casKv().describe(KvInput.cas("x", null, "1"), true))
                .isEqualTo("cas(x, null -> \"1\") -> true");
        assertThat(KvModels.kv().describe(KvInput.append("x", "1"), ANY))
                .isEqualTo("append(x, \"1\") -> ?");
        assertThat(RegisterModels.casRegister().describe(RegisterInput.cas(1, 2), false))
                .isEqualTo("cas(1, 2) -> false");
        assertThat(RegisterModels.casRegister().describe(RegisterInput.write(3), null))
                .isEqualTo("write(3)");
    }

    @Test
    void kvInputRequiresAKeyAndAValueToWrite() {
        assertThatThrownBy(() -> KvInput.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> KvInput.put("k", null)).isInstanceOf(NullPointerException.class);
    }

    /** Read-only operations must leave every state where they are legal unchanged. */
    @Test
    void readOnlyOperationsNeverChangeTheState() {
        List<String> states = Arrays.asList(null, "", "a", "b");
        List<KvInput> inputs = new ArrayList<>();
        for (String s : states) {
            inputs.add(KvInput.get("k"));
            if (s != null) {
                inputs.add(KvInput.put("k", s));
                inputs.add(KvInput.append("k", s));
                for (String e : states) {
                    inputs.add(KvInput.cas("k", e, s));
                }
            }
        }
        List<Object> outputs = new ArrayList<>(states);
        outputs.addAll(List.of(true, false, ANY));
        for (Model<String> m : List.of(KvModels.kv(), KvModels.casKv())) {
            for (KvInput in : inputs) {
                for (Object out : outputs) {
                    if (!m.isReadOnly(in, out)) {
                        continue;
                    }
                    for (String s : states) {
                        StepResult<String> r = m.step(s, in, out);
                        if (r.legal()) {
                            assertThat(r.state()).as("%s -> %s in %s", in, out, s).isEqualTo(s);
                        }
                    }
                }
            }
        }
        Model<Object> reg = RegisterModels.casRegister();
        List<Object> values = Arrays.asList(null, 1, 2);
        for (Object v : values) {
            for (RegisterInput in : List.of(RegisterInput.read(), RegisterInput.write(v),
                    RegisterInput.cas(v, 1), RegisterInput.cas(1, v))) {
                for (Object out : List.of(true, false, ANY, 1, 2)) {
                    if (reg.isReadOnly(in, out)) {
                        for (Object s : values) {
                            StepResult<Object> r = reg.step(s, in, out);
                            if (r.legal()) {
                                assertThat(r.state()).isEqualTo(s);
                            }
                        }
                    }
                }
            }
        }
        assertThat(reg.isReadOnly(RegisterInput.cas(1, 2), ANY)).isFalse();
        assertThat(reg.isReadOnly(RegisterInput.write(1), null)).isFalse();
    }
}
