package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import kiln.runtime.Param;
import kiln.runtime.optim.ReferenceRules.ReferenceSgd;
import org.junit.jupiter.api.Test;

class SgdTest {
    private static final int STEPS = 5;

    @Test
    void plainSgdMatchesManifestRule() {
        // Manifest "sgd": torch.optim.SGD(params, lr=0.1)
        ReferenceSgd ref = new ReferenceSgd(0.1, 0, 0, false);
        ReferenceComparison.check(ps -> new Sgd(ps, 0.1, 0, 0, false), ref::step, STEPS);
    }

    @Test
    void momentumWithWeightDecayMatchesManifestRule() {
        // Manifest "sgd_momentum_wd": torch.optim.SGD(params, lr=0.05, momentum=0.9, weight_decay=5e-4)
        ReferenceSgd ref = new ReferenceSgd(0.05, 0.9, 5e-4, false);
        ReferenceComparison.check(ps -> new Sgd(ps, 0.05, 0.9, 5e-4, false), ref::step, STEPS);
    }

    @Test
    void nesterovMatchesPyTorchRule() {
        ReferenceSgd ref = new ReferenceSgd(0.05, 0.9, 5e-4, true);
        ReferenceComparison.check(ps -> new Sgd(ps, 0.05, 0.9, 5e-4, true), ref::step, STEPS);
    }

    @Test
    void plainSgdWithWeightDecayMatchesRule() {
        ReferenceSgd ref = new ReferenceSgd(0.1, 0, 1e-2, false);
        ReferenceComparison.check(ps -> new Sgd(ps, 0.1, 0, 1e-2, false), ref::step, STEPS);
    }

    @Test
    void firstMomentumStepIsPlainSgd() {
        // buf = d at step 1, so step 1 of momentum SGD equals plain SGD exactly.
        List<Param> a = SampleParams.create();
        List<Param> b = SampleParams.create();
        SampleParams.setGrads(a, 0);
        SampleParams.setGrads(b, 0);
        new Sgd(a, 0.05, 0.9, 0, false).step();
        new Sgd(b, 0.05, 0, 0, false).step();
        for (int k = 0; k < a.size(); k++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(b.get(k).value, a.get(k).value, a.get(k).name);
        }
    }

    @Test
    void learningRateChangeAppliesToNextStep() {
        List<Param> params = SampleParams.create();
        Sgd sgd = new Sgd(params, 0.1, 0, 0, false);
        SampleParams.setGrads(params, 1);
        float before = params.get(1).value[0];
        float g = params.get(1).grad[0];
        assertNotEquals(0f, g);
        sgd.setLearningRate(0.5);
        assertEquals(0.5, sgd.learningRate());
        sgd.step();
        assertEquals(before - 0.5f * g, params.get(1).value[0], 0f);
        sgd.setLearningRate(0); // a schedule may end at 0: the step then leaves values alone
        float held = params.get(1).value[0];
        sgd.step();
        assertEquals(held, params.get(1).value[0], 0f);
    }
}
