package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import kiln.runtime.Param;

/** Hand-computed trajectories: one scalar parameter starting at 1 with gradient 0.5 at every step. */
final class ScalarTrajectory {
    private ScalarTrajectory() {}

    static void check(Function<List<Param>, Optimizer> build, double... expected) {
        Param p = new Param("w", false, 1);
        p.value[0] = 1f;
        Optimizer opt = build.apply(List.of(p));
        for (int t = 0; t < expected.length; t++) {
            p.grad[0] = 0.5f;
            opt.step();
            assertEquals(expected[t], p.value[0], 1e-6, opt.describe() + " after step " + (t + 1));
        }
    }
}
