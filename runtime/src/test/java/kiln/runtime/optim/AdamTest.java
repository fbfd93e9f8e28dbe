package kiln.runtime.optim;

import kiln.runtime.optim.ReferenceRules.ReferenceAdam;
import org.junit.jupiter.api.Test;

class AdamTest {
    private static final int STEPS = 5;

    @Test
    void adamMatchesManifestRule() {
        // Manifest "adam": torch.optim.Adam(params, lr=1e-2)
        ReferenceAdam ref = new ReferenceAdam(1e-2, 0.9, 0.999, 1e-8, 0);
        ReferenceComparison.check(ps -> new Adam(ps, 1e-2, 0.9, 0.999, 1e-8, 0), ref::step, STEPS);
    }

    @Test
    void adamWithL2WeightDecayMatchesPyTorchRule() {
        ReferenceAdam ref = new ReferenceAdam(1e-2, 0.8, 0.99, 1e-6, 0.1);
        ReferenceComparison.check(ps -> new Adam(ps, 1e-2, 0.8, 0.99, 1e-6, 0.1), ref::step, STEPS);
    }

    @Test
    void bothBetasZeroStillMatch() {
        // beta 0 is allowed: no averaging, bias corrections are 1.
        ReferenceAdam ref = new ReferenceAdam(1e-2, 0, 0, 1e-8, 0);
        ReferenceComparison.check(ps -> new Adam(ps, 1e-2, 0, 0, 1e-8, 0), ref::step, STEPS);
    }
}
