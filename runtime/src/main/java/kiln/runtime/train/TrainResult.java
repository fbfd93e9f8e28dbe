package kiln.runtime.train;

/**
 * The outcome of {@link Trainer#fit}: losses are means per sample, accuracies fractions in [0, 1]
 * (NaN where not defined). Train figures are the last epoch's running values (NaN when a resumed
 * run had no epoch left to train); validation is after the last epoch; test is the final model.
 * {@code samplesPerSecond} counts training steps only; {@code seconds} is the whole call.
 */
public record TrainResult(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double validationLoss,
        double validationAccuracy,
        double testLoss,
        double testAccuracy,
        double samplesPerSecond,
        double seconds) {}
