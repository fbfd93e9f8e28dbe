package kiln.runtime.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Grid and random search over named hyperparameters. Each {@link Trial} has its own seed (the
 * base seed plus its number), the runner trains it on the training split and scores it on the
 * validation split, and the results come back best first. Choosing on validation and testing only
 * the winner, once, keeps the test figure an honest estimate.
 */
public final class HyperparameterSearch {
    public enum Strategy { GRID, RANDOM }

    /** Trains one trial and reports how it did; an exception marks only that trial as failed. */
    @FunctionalInterface
    public interface TrialRunner {
        TrialResult run(Trial trial) throws Exception;
    }

    private HyperparameterSearch() {}

    /** Every combination of the dimensions' grid values, the first dimension varying slowest. */
    public static List<Trial> grid(List<Dimension> space, long seed) {
        List<Map<String, Double>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Dimension d : space) {
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> c : combos) {
                for (double v : d.gridValues()) {
                    Map<String, Double> m = new LinkedHashMap<>(c);
                    m.put(d.name(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < combos.size(); i++) trials.add(new Trial(i + 1, seed + i + 1, combos.get(i)));
        return trials;
    }

    /** {@code n} independent draws, each dimension sampled on its own; the draws depend only on {@code seed}. */
    public static List<Trial> random(List<Dimension> space, int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("random search needs at least 1 trial, got " + n);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (Dimension d : space) m.put(d.name(), d.sample(rnd));
            trials.add(new Trial(i + 1, seed + i + 1, m));
        }
        return trials;
    }

    /**
     * Runs every trial in order, passing each result to {@code each} as it comes, and returns them
     * sorted best first by score (higher first when {@code maximize}); failed and NaN-scored trials last.
     */
    public static List<TrialResult> run(List<Trial> trials, boolean maximize, TrialRunner runner, Consumer<TrialResult> each) {
        List<TrialResult> results = new ArrayList<>();
        for (Trial t : trials) {
            long start = System.nanoTime();
            TrialResult r;
            try {
                r = runner.run(t);
            } catch (Exception e) {
                r = TrialResult.failed(t, e.getMessage() == null ? e.toString() : e.getMessage(), (System.nanoTime() - start) / 1e9);
            }
            results.add(r);
            each.accept(r);
        }
        return sorted(results, maximize);
    }

    public static List<TrialResult> sorted(List<TrialResult> results, boolean maximize) {
        Comparator<TrialResult> byScore = Comparator.comparingDouble(r -> maximize ? -r.score() : r.score());
        List<TrialResult> out = new ArrayList<>(results);
        out.sort(Comparator.comparing((TrialResult r) -> Double.isNaN(r.score())).thenComparing(byScore)
                .thenComparingInt(r -> r.trial().number()));
        return out;
    }

    /**
     * The results as a text table, one line per trial in the given order: rank, trial, seed, each
     * varying hyperparameter, validation loss and accuracy, epochs and seconds.
     */
    public static String table(List<TrialResult> results, List<Dimension> space) {
        List<Dimension> shown = space.stream().filter(Dimension::varies).toList();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%4s %5s %6s", "rank", "trial", "seed"));
        for (Dimension d : shown) b.append(String.format(Locale.ROOT, " %12s", d.name()));
        b.append(String.format(Locale.ROOT, " %10s %8s %6s %8s%n", "val loss", "val acc", "epochs", "seconds"));
        int rank = 0;
        for (TrialResult r : results) {
            rank++;
            b.append(String.format(Locale.ROOT, "%4d %5d %6d", rank, r.trial().number(), r.trial().seed()));
            for (Dimension d : shown) b.append(String.format(Locale.ROOT, " %12s", d.format(r.trial().value(d.name()))));
            if (r.failure() != null) {
                b.append("  failed: ").append(r.failure()).append('\n');
                continue;
            }
            b.append(String.format(Locale.ROOT, " %10s %8s %6d %8.1f%n", Double.isNaN(r.validationLoss()) ? "-" : String.format(Locale.ROOT, "%.4f", r.validationLoss()),
                    Double.isNaN(r.validationAccuracy()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.validationAccuracy()),
                    r.epochs(), r.seconds()));
        }
        return b.toString();
    }

    /** {@code lr=0.05, batch=32}: the values of {@code trial} for the given dimensions. */
    public static String describe(Trial trial, List<Dimension> space) {
        StringBuilder b = new StringBuilder();
        for (Dimension d : space) {
            if (b.length() > 0) b.append(", ");
            b.append(d.name()).append('=').append(d.format(trial.value(d.name())));
        }
        return b.toString();
    }

    /** Parses a dimension's command-line form; see {@link Dimension}. */
    public static Dimension dimension(String name, String text, boolean integer) {
        return Dimension.parse(name, text, integer);
    }
}
