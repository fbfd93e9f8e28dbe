package kiln.runtime.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the metrics log: the figures after epoch {@code epoch} ({@code step} optimizer steps
 * so far, learning rate {@code lr} at its last step: the first model's, where a run has several),
 * the training figures as they ran over the epoch and the validation figures at its end, by name.
 * Accuracies are fractions; NaN marks what is undefined.
 */
public record EpochRecord(int epoch, long step, double lr, Map<String, Double> train, Map<String, Double> validation, double seconds) {
    public EpochRecord {
        train = Collections.unmodifiableMap(new LinkedHashMap<>(train));
        validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
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
}
