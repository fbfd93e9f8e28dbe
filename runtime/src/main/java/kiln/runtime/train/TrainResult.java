package kiln.runtime.train;

/**
 * The outcome of {@link Trainer#fit}: losses are means per sample, accuracies fractions in [0, 1]
 * (NaN where not defined). Train figures are the last epoch's running values (NaN when a resumed
 * run had no epoch left to train); validation and test are those of the final model (the best
 * epoch's weights with early stopping; test NaN when not evaluated). {@code samplesPerSecond}
 * counts training steps only; {@code seconds} is the whole call. {@code bestEpoch} is the epoch
 * whose weights early stopping kept (0 without early stopping), and {@code stoppedEarly} whether
 * it ended the run before {@code epochs}.
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
        double seconds,
        int bestEpoch,
        boolean stoppedEarly) {}
