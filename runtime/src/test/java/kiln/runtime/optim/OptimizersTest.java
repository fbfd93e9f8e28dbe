package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import kiln.runtime.Param;
import org.junit.jupiter.api.Test;

class OptimizersTest {
    private final List<Param> params = SampleParams.create();

    @Test
    void namesSelectTheDocumentedPresets() {
        assertEquals("sgd(lr=0.1, weight_decay=0.0)", Optimizers.create("sgd", params, 0.1).describe());
        assertEquals("sgd(lr=0.05, momentum=0.9, nesterov=false, weight_decay=0.0)",
                Optimizers.create("momentum", params, 0.05).describe());
        assertEquals("sgd(lr=0.05, momentum=0.9, nesterov=true, weight_decay=5.0E-4)",
                Optimizers.create("nesterov", params, 0.05, 5e-4).describe());
        Optimizer adam = Optimizers.create(" Adam ", params, 0.01);
        assertInstanceOf(Adam.class, adam);
        assertEquals("adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1.0E-8, weight_decay=0.0)", adam.describe());
        assertEquals("adamw(lr=0.01, beta1=0.9, beta2=0.999, eps=1.0E-8, weight_decay=0.01)",
                Optimizers.create("adamw", params, 0.01, 0.01).describe());
        assertEquals("rmsprop(lr=0.01, alpha=0.99, eps=1.0E-8, momentum=0.0, centered=false, weight_decay=0.0)",
                Optimizers.create("rmsprop", params, 0.01).describe());
        assertEquals("adagrad(lr=0.01, lr_decay=0.0, eps=1.0E-10, initial_accumulator_value=0.0, weight_decay=0.0)",
                Optimizers.create("adagrad", params, 0.01).describe());
    }

    @Test
    void factoryMomentumPresetFollowsTheRule() {
        ReferenceRules.ReferenceSgd ref = new ReferenceRules.ReferenceSgd(0.05, 0.9, 5e-4, false);
        ReferenceComparison.check(ps -> Optimizers.create("momentum", ps, 0.05, 5e-4), ref::step, 3);
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("lbfgs", params, 0.1));
        assertEquals("unknown optimizer 'lbfgs'; valid names: sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad", e.getMessage());
    }

    @Test
    void presetsStillValidateHyperparameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("adam", params, 0.01, -1));
        assertEquals("weight_decay must be a finite number >= 0, got -1.0", e.getMessage());
    }
}
