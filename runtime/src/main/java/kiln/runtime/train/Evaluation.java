package kiln.runtime.train;

/**
 * A model's mean loss over a data set, and its accuracy as a fraction in [0, 1] (NaN for
 * regression, which has none, and for an empty data set).
 */
public record Evaluation(double loss, double accuracy, int samples) {}
