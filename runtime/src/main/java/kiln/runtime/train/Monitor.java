package kiln.runtime.train;

import java.util.Locale;
import java.util.Map;

/**
 * The validation figure a run watches: for reducing the learning rate on a plateau, for early
 * stopping and the best weights, and for scoring hyperparameter-search trials. {@link #LOSS} and
 * {@link #ACCURACY} serve every model; a run can watch any figure its validation reports (a loss
 * term, or a figure of a run's own evaluator), lower being better unless {@code maximize}.
 *
 * @param figure the figure's name as the validation reports it, e.g. {@code "loss"}, {@code "kl"}, {@code "discriminator/accuracy"}
 */
public record Monitor(String figure, boolean maximize) {
    public static final Monitor LOSS = new Monitor("loss", false);
    public static final Monitor ACCURACY = new Monitor("accuracy", true);

    public Monitor {
        if (figure == null || !figure.matches("[\\w./-]+")) throw new IllegalArgumentException("not a figure's name: '" + figure + "'");
    }

    /** This figure among {@code figures}; NaN when it is not there. */
    public double of(Map<String, Double> figures) {
        return figures.getOrDefault(figure, Double.NaN);
    }

    public double of(Evaluation e) {
        return of(e.figures());
    }

    /**
     * Whether {@code value} improves on {@code best} by more than {@code minDelta}; NaN never
     * improves, and anything beats a NaN best.
     */
    public boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(value)) return false;
        if (Double.isNaN(best)) return true;
        return maximize ? value > best + minDelta : value < best - minDelta;
    }

    /** The figure's name, e.g. {@code "loss"}. */
    public String label() {
        return figure;
    }

    /** The figure as the log prints it: {@code 96.1%} for an accuracy, {@code 0.1234} for anything else. */
    public String format(double value) {
        return isAccuracy(figure) ? String.format(Locale.ROOT, "%.1f%%", value * 100) : String.format(Locale.ROOT, "%.4f", value);
    }

    /** Whether a figure of this name is an accuracy (a fraction the log shows in percent). */
    static boolean isAccuracy(String figure) {
        return figure.equals("accuracy") || figure.endsWith("/accuracy");
    }

    /**
     * {@code loss} or {@code accuracy} (also {@code acc}, {@code val_loss}, ...), any case; or any
     * figure's name, lower being better unless it is an accuracy, or unless it ends in {@code :max}
     * ({@code :min} says lower explicitly).
     */
    public static Monitor parse(String text) {
        String t = text.strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "loss", "val_loss":
                return LOSS;
            case "accuracy", "acc", "val_accuracy", "val_acc":
                return ACCURACY;
            default:
                break;
        }
        if (t.endsWith(":max")) return new Monitor(t.substring(0, t.length() - 4), true);
        if (t.endsWith(":min")) return new Monitor(t.substring(0, t.length() - 4), false);
        if (!t.matches("[\\w./-]+")) throw new IllegalArgumentException("'" + text + "' is not a figure's name; use loss, accuracy or a figure the run reports");
        return new Monitor(t, isAccuracy(t));
    }
}
