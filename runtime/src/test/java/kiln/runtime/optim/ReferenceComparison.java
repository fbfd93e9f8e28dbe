package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import kiln.runtime.Param;

/** Runs an optimizer and a double-precision reference side by side on {@link SampleParams}. */
final class ReferenceComparison {
    private ReferenceComparison() {}

    static final double RELATIVE_TOLERANCE = 1e-6;

    /**
     * Builds the optimizer over fresh sample params, applies {@code steps} steps of the sample
     * gradients to it and to {@code reference} (called as (values, grads)), and checks every
     * element after every step.
     */
    static void check(Function<List<Param>, Optimizer> build, BiConsumer<double[][], double[][]> reference, int steps) {
        List<Param> params = SampleParams.create();
        Optimizer opt = build.apply(params);
        double[][] expected = SampleParams.valuesAsDouble(params);
        for (int t = 0; t < steps; t++) {
            SampleParams.setGrads(params, t);
            double[][] grads = new double[params.size()][];
            for (int k = 0; k < params.size(); k++) {
                grads[k] = new double[params.get(k).size()];
                for (int i = 0; i < grads[k].length; i++) grads[k][i] = params.get(k).grad[i];
            }
            opt.step();
            reference.accept(expected, grads);
            assertEquals(t + 1, opt.steps());
            for (int k = 0; k < params.size(); k++) {
                Param p = params.get(k);
                for (int i = 0; i < p.size(); i++) {
                    double want = expected[k][i];
                    double got = p.value[i];
                    if (Math.abs(got - want) > RELATIVE_TOLERANCE * Math.abs(want)) {
                        fail(opt.describe() + " step " + (t + 1) + ": " + p.name + "[" + i + "] = " + got
                                + ", reference " + want + " (relative error " + Math.abs(got - want) / Math.abs(want) + ")");
                    }
                }
            }
        }
    }
}
