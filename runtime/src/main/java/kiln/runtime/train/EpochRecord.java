package kiln.runtime.train;

/**
 * One line of the metrics log: the figures after epoch {@code epoch} ({@code step} optimizer steps
 * so far, learning rate {@code lr} at its last step). Accuracies are fractions, NaN where undefined.
 */
public record EpochRecord(int epoch, long step, double lr, double trainLoss, double trainAccuracy,
        double validationLoss, double validationAccuracy, double seconds) {}
