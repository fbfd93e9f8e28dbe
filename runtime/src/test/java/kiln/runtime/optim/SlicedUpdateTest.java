package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import kiln.runtime.Param;
import kiln.runtime.parallel.WorkerPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An optimizer split between two workers updates every element exactly as on one thread. */
class SlicedUpdateTest {
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "rmsprop-centered-momentum", "adagrad"})
    void twoWorkersGiveTheParametersOfOne(String name) {
        Function<List<Param>, Optimizer> make = ps -> switch (name) {
            case "rmsprop-centered-momentum" -> new RmsProp(ps, 0.01, 0.99, 1e-8, 0.01, 0.9, true);
            default -> Optimizers.create(name, ps, 0.01, 0.01);
        };
        List<Param> alone = params();
        List<Param> shared = params();
        Optimizer one = make.apply(alone);
        Optimizer two = make.apply(shared);
        try (WorkerPool pool = new WorkerPool(2)) {
            two.useWorkers(pool);
            for (int step = 0; step < 3; step++) {
                one.step();
                two.step();
            }
        }
        for (int k = 0; k < alone.size(); k++) {
            assertArrayEquals(alone.get(k).value, shared.get(k).value, name + ": " + alone.get(k).name);
        }
        assertTrue(alone.get(0).value.length >= SlicedUpdate.PARALLEL_MIN_ELEMENTS, "large enough to be split");
    }

    /** A large tensor whose halves do not end on a whole vector, and a tensor shorter than one. */
    private static List<Param> params() {
        SplittableRandom rnd = new SplittableRandom(5);
        List<Param> ps = List.of(new Param("w", false, 257, 131), new Param("b", true, 7));
        for (Param p : ps) {
            for (int i = 0; i < p.value.length; i++) {
                p.value[i] = (float) rnd.nextGaussian();
                p.grad[i] = (float) rnd.nextGaussian();
            }
        }
        return ps;
    }
}
