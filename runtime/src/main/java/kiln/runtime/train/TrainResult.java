package kiln.runtime.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of {@link Trainer#fit}, figures by name (losses are means per sample, or per token
 * for a text; accuracies fractions in [0, 1]; NaN where not defined). {@code train} holds the last
 * epoch's running figures (empty when a resumed run had no epoch left to train); {@code validation}
 * and {@code test} those of the final weights (the best epoch's with early stopping; {@code test}
 * empty when not evaluated). {@code samplesPerSecond} counts training steps only, in samples (a
 * text's characters); {@code seconds} is the whole call. {@code bestEpoch} is the epoch whose
 * weights early stopping kept (0 without early stopping), and {@code stoppedEarly} whether it
 * ended the run before its last epoch.
 */
public record TrainResult(
        int epoch,
        Map<String, Double> train,
        Map<String, Double> validation,
        Map<String, Double> test,
        double samplesPerSecond,
        double seconds,
        int bestEpoch,
        boolean stoppedEarly) {
    public TrainResult {
        train = Collections.unmodifiableMap(new LinkedHashMap<>(train));
        validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
        test = Collections.unmodifiableMap(new LinkedHashMap<>(test));
    }

    public double trainLoss() {
        return train.getOrDefault("loss", Double.NaN);
    }

    public double trainAccuracy() {
        return train.getOrDefault("accuracy", Double.NaN);
    }

    public double validationLoss() {
        return validation.getOrDefault("loss", Double.NaN);
    }

    public double validationAccuracy() {
        return validation.getOrDefault("accuracy", Double.NaN);
    }

    public double testLoss() {
        return test.getOrDefault("loss", Double.NaN);
    }

    public double testAccuracy() {
        return test.getOrDefault("accuracy", Double.NaN);
    }
}
