package kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch's {@code ReduceLROnPlateau} with {@code threshold_mode='rel'}: after each epoch, the
 * monitored figure is better when it is below {@code best * (1 - threshold)} (mode MIN) or above
 * {@code best * (1 + threshold)} (mode MAX). Every epoch that is not better counts as bad (none
 * count during a cooldown); after more than {@code patience} bad epochs in a row the rate becomes
 * {@code max(rate * factor, min)} and a cooldown of {@code cooldown} epochs starts. As in PyTorch, a
 * reduction smaller than 1e-8 is skipped.
 *
 * <p>The AlexNet recipe, dividing by 10 when validation accuracy stops improving, is
 * {@code new ReduceOnPlateau(Mode.MAX, 0.1, patience, 1e-4, 0, 0)} fed the validation accuracy.
 */
public final class ReduceOnPlateau implements LearningRateSchedule {
    public enum Mode { MIN, MAX }

    private static final double SKIP_BELOW = 1e-8;

    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final int cooldown;
    private final double min;
    private double best;
    private int badEpochs;
    private int cooldownLeft;
    /** The reduced rate; NaN until the first reduction (the rate is then the base). */
    private double current = Double.NaN;

    public ReduceOnPlateau(Mode mode, double factor, int patience, double threshold, int cooldown, double min) {
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0 epochs, got " + patience);
        if (cooldown < 0) throw new IllegalArgumentException("cooldown must be >= 0 epochs, got " + cooldown);
        this.factor = factor;
        this.patience = patience;
        this.threshold = ArgumentChecks.nonNegative("threshold", threshold);
        this.cooldown = cooldown;
        this.min = ArgumentChecks.nonNegative("min", min);
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public double rate(double base, int epoch, int step, int stepsPerEpoch) {
        return Double.isNaN(current) ? base : current;
    }

    /**
     * PyTorch's {@code step(metric)} at the end of an epoch trained at {@code rate}. A NaN metric
     * counts as not better. Returns true when it reduced the rate.
     */
    @Override
    public boolean endEpoch(double metric, double rate) {
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            badEpochs = 0;
            cooldownLeft = cooldown;
            double reduced = Math.max(rate * factor, min);
            if (rate - reduced > SKIP_BELOW) {
                current = reduced;
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean watchesMetric() {
        return true;
    }

    private boolean isBetter(double metric) {
        return mode == Mode.MIN ? metric < best * (1 - threshold) : metric > best * (1 + threshold);
    }

    @Override
    public Map<String, String> state() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("best", Double.toString(best));
        s.put("bad_epochs", Integer.toString(badEpochs));
        s.put("cooldown_left", Integer.toString(cooldownLeft));
        s.put("rate", Double.toString(current));
        return s;
    }

    @Override
    public void loadState(Map<String, String> state) {
        double b = parse(state, "best");
        int bad = (int) parse(state, "bad_epochs");
        int cool = (int) parse(state, "cooldown_left");
        double rate = parse(state, "rate");
        best = b;
        badEpochs = bad;
        cooldownLeft = cool;
        current = rate;
    }

    private static double parse(Map<String, String> state, String key) {
        String text = state.get(key);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("plateau schedule state " + key + " is " + (text == null ? "missing" : "'" + text + "'"));
        }
    }

    @Override
    public String describe() {
        return "plateau(mode=" + mode.name().toLowerCase(java.util.Locale.ROOT) + ", factor=" + factor + ", patience=" + patience
                + ", threshold=" + threshold + ", cooldown=" + cooldown + ", min=" + min + ")";
    }
}
