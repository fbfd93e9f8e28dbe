package kiln.runtime.optim;

/**
 * Cosine annealing with an optional linear warm-up, updated every step. With {@code e} the position
 * in epochs ({@code epoch + step / stepsPerEpoch}), {@code W = warmup} and {@code T = period}:
 *
 * <pre>
 *   rate = base * (e + 1/stepsPerEpoch) / W                              while e &lt; W
 *   rate = min + (base - min) * (1 + cos(pi * (e - W) / (T - W))) / 2    after (held at min past T)
 * </pre>
 *
 * The warm-up rises linearly to {@code base} at its last step. Without warm-up, the rate at the start
 * of epoch {@code k} is PyTorch's {@code CosineAnnealingLR(T_max=T, eta_min=min)} at epoch {@code k};
 * between epoch starts it continues along the same curve instead of staying flat.
 */
public record CosineAnnealing(double period, double warmup, double min) implements LearningRateSchedule {
    public CosineAnnealing {
        ArgumentChecks.positive("period", period);
        ArgumentChecks.nonNegative("warmup", warmup);
        ArgumentChecks.nonNegative("min", min);
        if (warmup >= period) {
            throw new IllegalArgumentException("warmup (" + warmup + " epochs) must be shorter than the period (" + period + " epochs)");
        }
    }

    @Override
    public double rate(double base, int epoch, int step, int stepsPerEpoch) {
        double perStep = 1.0 / Math.max(stepsPerEpoch, 1);
        double e = epoch + step * perStep;
        if (e < warmup) return base * Math.min(1, (e + perStep) / warmup);
        double t = Math.min(1, (e - warmup) / (period - warmup));
        return min + (base - min) * (1 + Math.cos(Math.PI * t)) / 2;
    }

    @Override
    public String describe() {
        return "cosine(period=" + period + ", warmup=" + warmup + ", min=" + min + ")";
    }
}
