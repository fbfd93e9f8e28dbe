package kiln.runtime.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of the epoch being trained (loss, each loss term, accuracy, a step's own figures),
 * each a running weighted mean: a batch's mean loss counts by its samples (a short last batch
 * counts less), accuracy is correct over judged. Figures keep the order they were first
 * registered in; one registered but never reported is not shown. Adding allocates nothing;
 * registering a new name, which happens in the first step, does.
 */
final class RunningFigures {
    private String[] names = new String[0];
    private double[] sums = new double[0];
    private double[] weights = new double[0];

    /** The index of figure {@code name}, registering it when new. */
    int index(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        if (!name.matches("[\\w./-]+")) {
            throw new IllegalArgumentException("figure '" + name + "': a figure's name is letters, digits, '_', '.', '/' or '-' (it heads a log column)");
        }
        names = Arrays.copyOf(names, names.length + 1);
        sums = Arrays.copyOf(sums, sums.length + 1);
        weights = Arrays.copyOf(weights, weights.length + 1);
        names[names.length - 1] = name;
        return names.length - 1;
    }

    /** Adds {@code sum} over {@code weight} to figure {@code index}: a mean times its samples, or correct over judged. */
    void add(int index, double sum, double weight) {
        sums[index] += sum;
        weights[index] += weight;
    }

    /** The running mean of figure {@code index}; NaN before anything was added. */
    double mean(int index) {
        return weights[index] == 0 ? Double.NaN : sums[index] / weights[index];
    }

    int count() {
        return names.length;
    }

    String name(int index) {
        return names[index];
    }

    /** Starts a new epoch: every figure back to nothing, the names kept. */
    void reset() {
        Arrays.fill(sums, 0);
        Arrays.fill(weights, 0);
    }

    /** The mean of every figure reported this epoch, by name, in order (a figure registered but not reported is left out). */
    Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) if (weights[i] != 0) out.put(names[i], mean(i));
        return out;
    }

    /** The running sums as text that round-trips exactly, one {@code name,sum,weight} line per figure: a mid-epoch checkpoint keeps them. */
    String export() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) b.append(names[i]).append(',').append(sums[i]).append(',').append(weights[i]).append('\n');
        return b.toString();
    }

    /** Restores {@link #export} text, so that a resumed epoch's figures go on where they stood. */
    void restore(String text) {
        reset();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            if (f.length != 3) throw new IllegalArgumentException("running figure line '" + line + "' is not name,sum,weight");
            int i = index(f[0]);
            sums[i] = Double.parseDouble(f[1]);
            weights[i] = Double.parseDouble(f[2]);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) b.append(String.format(Locale.ROOT, "%s%s=%s", i == 0 ? "" : ", ", names[i], mean(i)));
        return b.toString();
    }
}
