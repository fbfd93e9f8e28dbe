package kiln.runtime.optim;

import kiln.runtime.optim.ReferenceRules.ReferenceAdagrad;
import org.junit.jupiter.api.Test;

class AdagradTest {
    private static final int STEPS = 5;

    @Test
    void handComputedTrajectory() {
        // sum = 0.25, 0.5, 0.75: p1 = 1 - 0.1 * 0.5 / 0.5 = 0.9, p2 = 0.9 - 0.05 / sqrt(0.5), p3 = p2 - 0.05 / sqrt(0.75).
        ScalarTrajectory.check(ps -> new Adagrad(ps, 0.1, 0, 0, 0, 1e-10), 0.9, 0.8292893, 0.7715543);
    }

    @Test
    void pyTorchDefaultsMatchRule() {
        // torch.optim.Adagrad(params, lr=1e-2): lr_decay 0, initial_accumulator_value 0, eps 1e-10
        ReferenceAdagrad ref = new ReferenceAdagrad(1e-2, 0, 0, 0, 1e-10);
        ReferenceComparison.check(ps -> Optimizers.create("adagrad", ps, 1e-2), ref::step, STEPS);
    }

    @Test
    void lrDecayWeightDecayAndInitialAccumulatorMatchRule() {
        ReferenceAdagrad ref = new ReferenceAdagrad(5e-2, 0.1, 1e-2, 0.1, 1e-10);
        ReferenceComparison.check(ps -> new Adagrad(ps, 5e-2, 0.1, 1e-2, 0.1, 1e-10), ref::step, STEPS);
    }
}
