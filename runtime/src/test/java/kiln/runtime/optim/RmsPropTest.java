package kiln.runtime.optim;

import kiln.runtime.optim.ReferenceRules.ReferenceRmsProp;
import org.junit.jupiter.api.Test;

class RmsPropTest {
    private static final int STEPS = 5;

    @Test
    void handComputedTrajectory() {
        // v1 = 0.01 * 0.25, sqrt = 0.05: p1 = 1 - 0.01 * 0.5 / 0.05 = 0.9;
        // v2 = 0.99 * 0.0025 + 0.0025 = 0.004975: p2 = 0.9 - 0.005 / sqrt(0.004975) = 0.8291119.
        ScalarTrajectory.check(ps -> new RmsProp(ps, 0.01, 0.99, 1e-8, 0, 0, false), 0.9, 0.8291119, 0.7710870);
    }

    @Test
    void pyTorchDefaultsMatchRule() {
        // torch.optim.RMSprop(params, lr=1e-2): alpha 0.99, eps 1e-8, no momentum, not centered
        ReferenceRmsProp ref = new ReferenceRmsProp(1e-2, 0.99, 1e-8, 0, 0, false);
        ReferenceComparison.check(ps -> Optimizers.create("rmsprop", ps, 1e-2), ref::step, STEPS);
    }

    @Test
    void momentumAndWeightDecayMatchRule() {
        ReferenceRmsProp ref = new ReferenceRmsProp(1e-3, 0.9, 1e-8, 1e-2, 0.9, false);
        ReferenceComparison.check(ps -> new RmsProp(ps, 1e-3, 0.9, 1e-8, 1e-2, 0.9, false), ref::step, STEPS);
    }

    @Test
    void centeredMatchesRule() {
        ReferenceRmsProp ref = new ReferenceRmsProp(1e-3, 0.9, 1e-6, 0, 0.5, true);
        ReferenceComparison.check(ps -> new RmsProp(ps, 1e-3, 0.9, 1e-6, 0, 0.5, true), ref::step, STEPS);
    }
}
