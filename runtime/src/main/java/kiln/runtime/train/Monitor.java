package kiln.runtime.train;

import java.util.Locale;

/**
 * The validation figure a run watches: for reducing the learning rate on a plateau, for early
 * stopping and the best weights, and for scoring hyperparameter-search trials. Loss is better
 * lower, accuracy higher.
 */
public enum Monitor {
    LOSS,
    ACCURACY;

    /** This figure of {@code e}. */
    public double of(Evaluation e) {
        return this == LOSS ? e.loss() : e.accuracy();
    }

    /** Whether higher is better. */
    public boolean maximize() {
        return this == ACCURACY;
    }

    /**
     * Whether {@code value} improves on {@code best} by more than {@code minDelta}; NaN never
     * improves, and anything beats a NaN best.
     */
    public boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(value)) return false;
        if (Double.isNaN(best)) return true;
        return maximize() ? value > best + minDelta : value < best - minDelta;
    }

    /** {@code "loss"} or {@code "accuracy"}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The figure as the log prints it: {@code 0.1234} for loss, {@code 96.1%} for accuracy. */
    public String format(double value) {
        return this == LOSS ? String.format(Locale.ROOT, "%.4f", value) : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }

    /** {@code "loss"} or {@code "accuracy"} (also {@code "acc"}), any case. */
    public static Monitor parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "loss", "val_loss" -> LOSS;
            case "accuracy", "acc", "val_accuracy", "val_acc" -> ACCURACY;
            default -> throw new IllegalArgumentException("unknown figure '" + text + "'; use loss or accuracy");
        };
    }
}
