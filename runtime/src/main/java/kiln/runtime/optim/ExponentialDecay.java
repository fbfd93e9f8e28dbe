package kiln.runtime.optim;

/** PyTorch's {@code ExponentialLR}: {@code rate = base * gamma^epoch}. */
public record ExponentialDecay(double gamma) implements LearningRateSchedule {
    public ExponentialDecay {
        ArgumentChecks.positive("gamma", gamma);
    }

    @Override
    public double rate(double base, int epoch, int step, int stepsPerEpoch) {
        return base * Math.pow(gamma, epoch);
    }

    @Override
    public String describe() {
        return "exponential(gamma=" + gamma + ")";
    }
}
