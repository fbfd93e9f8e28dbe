package kiln.runtime.optim;

/**
 * PyTorch's {@code StepLR}: {@code rate = base * gamma^floor(epoch / every)}, the rate dropping by
 * {@code gamma} every {@code every} epochs (the AlexNet-era recipe with gamma 0.1).
 */
public record StepDecay(int every, double gamma) implements LearningRateSchedule {
    public StepDecay {
        if (every < 1) throw new IllegalArgumentException("every must be >= 1 epoch, got " + every);
        ArgumentChecks.positive("gamma", gamma);
    }

    @Override
    public double rate(double base, int epoch, int step, int stepsPerEpoch) {
        return base * Math.pow(gamma, epoch / every);
    }

    @Override
    public String describe() {
        return "step(every=" + every + ", gamma=" + gamma + ")";
    }
}
