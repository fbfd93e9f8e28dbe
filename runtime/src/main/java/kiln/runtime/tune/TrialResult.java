package kiln.runtime.tune;

/**
 * How a trial did: its score (the monitored validation figure of its final weights), validation
 * loss and accuracy, epochs trained and seconds; or why it failed ({@code failure} not null, figures NaN).
 */
public record TrialResult(Trial trial, double score, double validationLoss, double validationAccuracy, int epochs, double seconds,
        String failure) {
    public static TrialResult failed(Trial trial, String why, double seconds) {
        return new TrialResult(trial, Double.NaN, Double.NaN, Double.NaN, 0, seconds, why);
    }
}
