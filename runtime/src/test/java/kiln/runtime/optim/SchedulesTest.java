package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each schedule against the trajectory PyTorch documents for it, or one computed by hand. */
class SchedulesTest {
    private static final double TOL = 1e-12;

    @Test
    void stepDecayFollowsStepLrDocumentation() {
        // torch.optim.lr_scheduler.StepLR docs: lr = 0.05 if epoch < 30, 0.005 if 30 <= epoch < 60,
        // 0.0005 if 60 <= epoch < 90 (step_size=30, gamma=0.1).
        StepDecay s = new StepDecay(30, 0.1);
        assertEquals(0.05, s.rate(0.05, 0, 0, 10), TOL);
        assertEquals(0.05, s.rate(0.05, 29, 9, 10), TOL);
        assertEquals(0.005, s.rate(0.05, 30, 0, 10), TOL);
        assertEquals(0.005, s.rate(0.05, 59, 0, 10), TOL);
        assertEquals(0.0005, s.rate(0.05, 60, 0, 10), TOL);
        assertEquals(0.0005, s.rate(0.05, 89, 0, 10), TOL);
    }

    @Test
    void exponentialDecayMultipliesEveryEpoch() {
        ExponentialDecay s = new ExponentialDecay(0.5);
        double[] expected = {0.1, 0.05, 0.025, 0.0125};
        for (int e = 0; e < expected.length; e++) assertEquals(expected[e], s.rate(0.1, e, 3, 10), TOL);
    }

    @Test
    void cosineWithoutWarmupIsCosineAnnealingLrAtEpochStarts() {
        // CosineAnnealingLR(T_max=10, eta_min=0.001) closed form: eta_min + (base - eta_min)(1 + cos(pi e / T)) / 2
        CosineAnnealing s = new CosineAnnealing(10, 0, 0.001);
        for (int e = 0; e <= 10; e++) {
            double expected = 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * e / 10)) / 2;
            assertEquals(expected, s.rate(0.1, e, 0, 7), TOL, "epoch " + e);
        }
        // Half-way through epoch 5 of 10 is 5.5/10 of the way: between the epoch-start rates.
        double mid = s.rate(0.1, 5, 2, 4);
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 0.55)) / 2, mid, TOL);
        assertEquals(0.001, s.rate(0.1, 12, 0, 7), TOL); // past the period it stays at the minimum
    }

    @Test
    void cosineWarmupRisesLinearlyThenAnneals() {
        // 2 warm-up epochs of 4 steps: rates base * 1/8, 2/8, ..., 8/8, then the cosine from base down over 8 epochs.
        CosineAnnealing s = new CosineAnnealing(10, 2, 0);
        for (int i = 0; i < 8; i++) assertEquals(1.0 * (i + 1) / 8, s.rate(1.0, i / 4, i % 4, 4), TOL, "warm-up step " + i);
        assertEquals(1.0, s.rate(1.0, 2, 0, 4), TOL);
        assertEquals(0.5, s.rate(1.0, 6, 0, 4), TOL); // half-way through the 8 annealing epochs
        assertEquals(0.0, s.rate(1.0, 10, 0, 4), TOL);
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(2, 2, 0));
    }

    @Test
    void plateauFollowsReduceLrOnPlateau() {
        // ReduceLROnPlateau(mode='min', factor=0.1, patience=2, threshold=1e-4, cooldown=1, min_lr=0.0005),
        // computed by hand from its step(): better means below best * (1 - 1e-4).
        ReduceOnPlateau s = new ReduceOnPlateau(ReduceOnPlateau.Mode.MIN, 0.1, 2, 1e-4, 1, 0.0005);
        double[] losses = {1.0, 0.9, 0.9, 0.95, 0.91, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85};
        double[] rates = {0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 0.0005};
        // epoch: 0 best=1, 1 best=.9, 2 bad1, 3 bad2, 4 bad3>2 -> 0.01 (cooldown 1), 5 best=.8 (cooldown
        // zeroes the count), 6 bad1, 7 bad2, 8 bad3 -> 0.001, 9 cooldown, 10 bad1, 11 bad2, 12 bad3 -> max(1e-4, 5e-4).
        double rate = 0.1;
        for (int e = 0; e < losses.length; e++) {
            assertEquals(rate, s.rate(0.1, e, 0, 1), TOL, "rate during epoch " + e);
            boolean reduced = s.endEpoch(losses[e], rate);
            double next = s.rate(0.1, e + 1, 0, 1);
            assertEquals(reduced, next != rate, "epoch " + e);
            rate = next;
            assertEquals(rates[e], rate, TOL, "rate after epoch " + e);
        }
        assertFalse(s.endEpoch(0.85, rate) || s.endEpoch(0.85, rate) || s.endEpoch(0.85, rate), "no reduction below min");
        assertEquals(0.0005, s.rate(0.1, 20, 0, 1), TOL);
    }

    @Test
    void plateauInMaxModeWatchesAccuracy() {
        // The AlexNet recipe: divide by 10 when validation accuracy stops improving.
        ReduceOnPlateau s = new ReduceOnPlateau(ReduceOnPlateau.Mode.MAX, 0.1, 1, 1e-4, 0, 0);
        double rate = 0.01;
        double[] accuracies = {0.5, 0.6, 0.6, 0.6};
        for (double a : accuracies) {
            s.endEpoch(a, rate);
            rate = s.rate(0.01, 0, 0, 1);
        }
        assertEquals(0.001, rate, TOL);
    }

    @Test
    void plateauStateRoundTrips() {
        ReduceOnPlateau a = new ReduceOnPlateau(ReduceOnPlateau.Mode.MIN, 0.5, 0, 0, 2, 0);
        a.endEpoch(1.0, 0.1);
        a.endEpoch(1.0, 0.1); // reduced to 0.05, cooldown 2
        Map<String, String> state = a.state();
        ReduceOnPlateau b = new ReduceOnPlateau(ReduceOnPlateau.Mode.MIN, 0.5, 0, 0, 2, 0);
        b.loadState(state);
        assertEquals(a.state(), b.state());
        assertEquals(0.05, b.rate(0.1, 0, 0, 1), TOL);
        for (double loss : new double[] {1.0, 1.0, 1.0, 0.5, 0.7}) assertEquals(a.endEpoch(loss, 0.05), b.endEpoch(loss, 0.05));
        assertEquals(a.state(), b.state());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadState(Map.of("best", "x")));
        assertTrue(e.getMessage().contains("best"), e.getMessage());
    }
}
