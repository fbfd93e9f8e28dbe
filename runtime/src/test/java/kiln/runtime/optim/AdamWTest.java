package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import kiln.runtime.Param;
import kiln.runtime.optim.ReferenceRules.ReferenceAdamW;
import org.junit.jupiter.api.Test;

class AdamWTest {
    @Test
    void constantGradientStepsByTheLearningRateAfterDecoupledDecay() {
        // A constant gradient makes every bias-corrected Adam step exactly lr (up to eps), so
        // p1 = 1 * (1 - 0.1 * 0.1) - 0.1 = 0.89, p2 = 0.89 * 0.99 - 0.1 = 0.7811, p3 = 0.7811 * 0.99 - 0.1.
        ScalarTrajectory.check(ps -> new AdamW(ps, 0.1, 0.9, 0.999, 1e-8, 0.1), 0.89, 0.7811, 0.673289);
    }

    @Test
    void matchesPyTorchRule() {
        // torch.optim.AdamW(params, lr=1e-2, weight_decay=1e-2) (PyTorch's default weight decay)
        ReferenceAdamW ref = new ReferenceAdamW(1e-2, 0.9, 0.999, 1e-8, 1e-2);
        ReferenceComparison.check(ps -> new AdamW(ps, 1e-2, 0.9, 0.999, 1e-8, 1e-2), ref::step, 5);
    }

    @Test
    void strongDecayAndOtherBetasMatch() {
        ReferenceAdamW ref = new ReferenceAdamW(5e-2, 0.8, 0.99, 1e-6, 0.5);
        ReferenceComparison.check(ps -> new AdamW(ps, 5e-2, 0.8, 0.99, 1e-6, 0.5), ref::step, 5);
    }

    @Test
    void withoutWeightDecayItIsAdam() {
        List<Param> a = SampleParams.create();
        List<Param> b = SampleParams.create();
        Optimizer adamW = new AdamW(a, 1e-2, 0.9, 0.999, 1e-8, 0);
        Optimizer adam = new Adam(b, 1e-2, 0.9, 0.999, 1e-8, 0);
        for (int t = 0; t < 4; t++) {
            SampleParams.setGrads(a, t);
            SampleParams.setGrads(b, t);
            adamW.step();
            adam.step();
        }
        for (int k = 0; k < a.size(); k++) assertArrayEquals(b.get(k).value, a.get(k).value, a.get(k).name);
    }
}
