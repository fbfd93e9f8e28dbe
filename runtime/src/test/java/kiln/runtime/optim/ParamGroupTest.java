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
}
