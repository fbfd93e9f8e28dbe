package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiFunction;
import kiln.runtime.Param;
import org.junit.jupiter.api.Test;

/** A grouped optimizer updates each group exactly as a separate optimizer with the group's settings would. */
class ParamGroupTest {
    /** Runs {@code grouped} over all sample params and, on a copy, one optimizer per group; compares. */
    private static void assertGroupsActAlone(String name, double lr, List<ParamGroup> groupsOf, BiFunction<List<Param>, ParamGroup, Optimizer> alone,
            java.util.function.Function<List<ParamGroup>, Optimizer> grouped, List<Param> params, List<Param> copy) {
        Optimizer together = grouped.apply(groupsOf);
        List<Optimizer> separate = new java.util.ArrayList<>();
        for (ParamGroup g : groupsOf) {
            List<Param> mine = copy.stream().filter(p -> g.params().stream().anyMatch(q -> q.name.equals(p.name))).toList();
            separate.add(alone.apply(mine, g));
        }
        for (int t = 0; t < 4; t++) {
            SampleParams.setGrads(params, t);
            SampleParams.setGrads(copy, t);
            together.step();
            for (Optimizer o : separate) o.step();
        }
        for (int k = 0; k < params.size(); k++) assertArrayEquals(copy.get(k).value, params.get(k).value, name + " " + params.get(k).name);
    }

    @Test
    void biasesWithoutDecayForEveryOptimizer() {
        for (String name : Optimizers.NAMES) {
            List<Param> params = SampleParams.create();
            List<Param> copy = SampleParams.create();
            List<ParamGroup> groups = ParamGroup.decayExceptBiases(params, 0.05);
            assertEquals(2, groups.size());
            assertEquals(List.of("p0"), groups.get(1).params().stream().map(p -> p.name).toList());
            assertGroupsActAlone(name, 0.01, groups, (ps, g) -> Optimizers.create(name, ps, 0.01, g.weightDecay()),
                    gs -> Optimizers.forGroups(name, gs, 0.01), params, copy);
        }
    }

    @Test
    void learningRateScaleActsAsALowerRate() {
        for (String name : Optimizers.NAMES) {
            List<Param> params = SampleParams.create();
            List<Param> copy = SampleParams.create();
            List<ParamGroup> groups = List.of(new ParamGroup(params.subList(0, 2), 1e-3, 1),
                    new ParamGroup(params.subList(2, 4), 1e-3, 0.5));
            assertGroupsActAlone(name, 0.02, groups, (ps, g) -> Optimizers.create(name, ps, 0.02 * g.lrScale(), g.weightDecay()),
                    gs -> Optimizers.forGroups(name, gs, 0.02), params, copy);
        }
    }

    @Test
    void describeShowsEachGroupsDecay() {
        List<Param> params = SampleParams.create();
        assertEquals("sgd(lr=0.1, momentum=0.9, nesterov=false, weight_decay=[5.0E-4 on 3 tensors, 0.0 on 1 tensor])",
                Optimizers.forGroups("momentum", ParamGroup.decayExceptBiases(params, 5e-4), 0.1).describe());
    }

    @Test
    void declaredSettingsFormTheGroups() {
        Param w1 = new Param("w1", false, 3), b1 = new Param("b1", true, 3), w2 = new Param("w2", false, 3), b2 = new Param("b2", true, 3);
        Param frozen = new Param("frozen", false, 3).configure(true, 1, Double.NaN);
        w2.configure(false, 0.1, Double.NaN); // a slower layer
        b2.configure(false, 0.1, 0.5); // its own decay wins over --no-bias-decay
        List<ParamGroup> groups = ParamGroup.declared(List.of(w1, b1, frozen, w2, b2), 0.01, true);
        assertEquals(4, groups.size(), groups.toString());
        assertEquals(new ParamGroup(List.of(w1), 0.01, 1), groups.get(0));
        assertEquals(new ParamGroup(List.of(b1), 0, 1), groups.get(1));
        assertEquals(new ParamGroup(List.of(w2), 0.01, 0.1), groups.get(2));
        assertEquals(new ParamGroup(List.of(b2), 0.5, 0.1), groups.get(3));

        List<ParamGroup> plain = ParamGroup.declared(List.of(w1, b1), 0.01, false);
        assertEquals(List.of(new ParamGroup(List.of(w1, b1), 0.01, 1)), plain, "nothing declared: one group, as before");
        assertEquals("every parameter is frozen: there is nothing to train",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> ParamGroup.declared(List.of(frozen), 0, false)).getMessage());
    }
}
