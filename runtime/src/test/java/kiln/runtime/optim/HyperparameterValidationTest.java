package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import kiln.runtime.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every rejected hyperparameter is named in the message together with the value given. */
class HyperparameterValidationTest {
    private final List<Param> params = SampleParams.create();

    private static void assertRejected(String expectedMessage, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void sgdRejectsBadHyperparameters() {
        assertRejected("lr must be a finite number > 0, got 0.0", () -> new Sgd(params, 0, 0, 0, false));
        assertRejected("lr must be a finite number > 0, got -0.1", () -> new Sgd(params, -0.1, 0, 0, false));
        assertRejected("lr must be a finite number > 0, got NaN", () -> new Sgd(params, Double.NaN, 0, 0, false));
        assertRejected("lr must be a finite number > 0, got Infinity",
                () -> new Sgd(params, Double.POSITIVE_INFINITY, 0, 0, false));
        assertRejected("momentum must be in [0, 1), got 1.0", () -> new Sgd(params, 0.1, 1.0, 0, false));
        assertRejected("momentum must be in [0, 1), got -0.5", () -> new Sgd(params, 0.1, -0.5, 0, false));
        assertRejected("weight_decay must be a finite number >= 0, got -1.0E-4",
                () -> new Sgd(params, 0.1, 0.9, -1e-4, false));
        assertRejected("nesterov requires momentum > 0, got momentum=0.0", () -> new Sgd(params, 0.1, 0, 0, true));
    }

    @Test
    void adamRejectsBadHyperparameters() {
        assertRejected("lr must be a finite number > 0, got 0.0", () -> new Adam(params, 0, 0.9, 0.999, 1e-8, 0));
        assertRejected("beta1 must be in [0, 1), got 1.0", () -> new Adam(params, 1e-3, 1.0, 0.999, 1e-8, 0));
        assertRejected("beta2 must be in [0, 1), got 1.5", () -> new Adam(params, 1e-3, 0.9, 1.5, 1e-8, 0));
        assertRejected("beta2 must be in [0, 1), got -0.1", () -> new Adam(params, 1e-3, 0.9, -0.1, 1e-8, 0));
        assertRejected("eps must be a finite number > 0, got 0.0", () -> new Adam(params, 1e-3, 0.9, 0.999, 0, 0));
        assertRejected("weight_decay must be a finite number >= 0, got -0.01",
                () -> new Adam(params, 1e-3, 0.9, 0.999, 1e-8, -0.01));
    }

    @Test
    void setLearningRateAcceptsZeroButNotNegative() {
        Optimizer adam = new Adam(params, 1e-3, 0.9, 0.999, 1e-8, 0);
        adam.setLearningRate(0);
        assertEquals(0, adam.learningRate());
        assertRejected("lr must be a finite number >= 0, got -1.0", () -> adam.setLearningRate(-1));
        assertEquals(0, adam.learningRate());
    }

    @Test
    void duplicateParameterNamesAreRejected() {
        List<Param> twins = List.of(new Param("w", false, 2), new Param("w", false, 3));
        assertRejected("two parameters are named 'w'; optimizer state is keyed by name",
                () -> new Sgd(twins, 0.1, 0.9, 0, false));
    }
}
