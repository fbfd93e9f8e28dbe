package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import kiln.runtime.Param;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Checkpointing: state() then loadState() continues exactly like an uninterrupted run. */
class OptimizerStateTest {
    private static final int BEFORE_SAVE = 3;
    private static final int AFTER_SAVE = 3;

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", (Function<List<Param>, Optimizer>) ps -> new Sgd(ps, 0.1, 0, 0, false)),
                Arguments.of("momentum", (Function<List<Param>, Optimizer>) ps -> new Sgd(ps, 0.05, 0.9, 5e-4, false)),
                Arguments.of("nesterov", (Function<List<Param>, Optimizer>) ps -> new Sgd(ps, 0.05, 0.9, 5e-4, true)),
                Arguments.of("adam", (Function<List<Param>, Optimizer>) ps -> new Adam(ps, 1e-2, 0.9, 0.999, 1e-8, 0)),
                Arguments.of("adamw", (Function<List<Param>, Optimizer>) ps -> new AdamW(ps, 1e-2, 0.9, 0.999, 1e-8, 1e-2)),
                Arguments.of("rmsprop", (Function<List<Param>, Optimizer>) ps -> new RmsProp(ps, 1e-2, 0.99, 1e-8, 0, 0, false)),
                Arguments.of("rmsprop centered momentum",
                        (Function<List<Param>, Optimizer>) ps -> new RmsProp(ps, 1e-3, 0.9, 1e-8, 1e-4, 0.9, true)),
                Arguments.of("adagrad", (Function<List<Param>, Optimizer>) ps -> new Adagrad(ps, 1e-2, 0.01, 0, 0, 1e-10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumingFromSavedStateEqualsUninterruptedRun(String label, Function<List<Param>, Optimizer> build) {
        List<Param> uninterruptedParams = SampleParams.create();
        Optimizer uninterrupted = build.apply(uninterruptedParams);
        for (int t = 0; t < BEFORE_SAVE; t++) {
            SampleParams.setGrads(uninterruptedParams, t);
            uninterrupted.step();
        }
        Map<String, float[]> saved = uninterrupted.state();
        long savedSteps = uninterrupted.steps();
        List<Param> resumedParams = SampleParams.create();
        for (int k = 0; k < resumedParams.size(); k++) {
            System.arraycopy(uninterruptedParams.get(k).value, 0, resumedParams.get(k).value, 0, resumedParams.get(k).size());
        }
        Optimizer resumed = build.apply(resumedParams);
        resumed.loadState(saved, savedSteps);
        assertEquals(BEFORE_SAVE, resumed.steps());

        for (int t = BEFORE_SAVE; t < BEFORE_SAVE + AFTER_SAVE; t++) {
            SampleParams.setGrads(uninterruptedParams, t);
            SampleParams.setGrads(resumedParams, t);
            uninterrupted.step();
            resumed.step();
        }
        for (int k = 0; k < resumedParams.size(); k++) {
            assertArrayEquals(uninterruptedParams.get(k).value, resumedParams.get(k).value, label + " " + resumedParams.get(k).name);
        }
        Map<String, float[]> a = uninterrupted.state();
        Map<String, float[]> b = resumed.state();
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) assertArrayEquals(a.get(key), b.get(key), key);
    }

    @Test
    void stateIsNamedPerParameterAndCopied() {
        List<Param> params = SampleParams.create();
        Optimizer adam = new Adam(params, 1e-2, 0.9, 0.999, 1e-8, 0);
        SampleParams.setGrads(params, 0);
        adam.step();
        Map<String, float[]> state = adam.state();
        assertEquals(List.of("p0.adam_m", "p1.adam_m", "p2.adam_m", "p3.adam_m",
                "p0.adam_v", "p1.adam_v", "p2.adam_v", "p3.adam_v"), List.copyOf(state.keySet()));
        assertEquals(37, state.get("p2.adam_m").length);
        state.get("p2.adam_m")[0] = 1234f;
        assertTrue(adam.state().get("p2.adam_m")[0] != 1234f, "state() must return copies");

        Optimizer momentum = new Sgd(params, 0.05, 0.9, 0, false);
        assertEquals(List.of("p0.momentum", "p1.momentum", "p2.momentum", "p3.momentum"), List.copyOf(momentum.state().keySet()));
        assertTrue(new Sgd(params, 0.1, 0, 0, false).state().isEmpty(), "plain SGD keeps no state");
    }

    @Test
    void loadStateRejectsMismatchedCheckpointsAndChangesNothing() {
        List<Param> params = SampleParams.create();
        Optimizer sgd = new Sgd(params, 0.05, 0.9, 0, false);
        SampleParams.setGrads(params, 0);
        sgd.step();
        Map<String, float[]> before = sgd.state();

        Map<String, float[]> missing = new HashMap<>(before);
        missing.remove("p1.momentum");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(missing, 7));
        assertTrue(e.getMessage().startsWith("optimizer state has no tensor 'p1.momentum'"), e.getMessage());

        Map<String, float[]> wrongLength = new HashMap<>(before);
        wrongLength.put("p2.momentum", new float[36]);
        wrongLength.put("p0.momentum", new float[3]); // would load first if loading were not all-or-nothing
        e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(wrongLength, 7));
        assertEquals("optimizer state tensor 'p2.momentum' has 36 floats; the parameter has 37", e.getMessage());

        Map<String, float[]> foreign = new HashMap<>(before);
        foreign.put("p0.adam_m", new float[3]);
        e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(foreign, 7));
        assertEquals("optimizer state tensor 'p0.adam_m' does not belong to this optimizer", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(before, -1));
        assertEquals("steps must be >= 0, got -1", e.getMessage());

        assertEquals(1, sgd.steps());
        Map<String, float[]> after = sgd.state();
        for (String key : before.keySet()) assertArrayEquals(before.get(key), after.get(key), key);
    }
}
