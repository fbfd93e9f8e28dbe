package kiln.runtime.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Figures on held-out data, by name in the order reported: for one model its mean loss, each of
 * its loss terms (unweighted) when it has several, and its accuracy as a fraction in [0, 1] (NaN
 * for regression, which has none, and for an empty data set); {@code samples} is how many samples
 * (for a text, tokens) they cover.
 */
public record Evaluation(Map<String, Double> figures, long samples) {
    public Evaluation {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** Figure {@code name}, or NaN when there is none. */
    public double figure(String name) {
        return figures.getOrDefault(name, Double.NaN);
    }

    public double loss() {
        return figure("loss");
    }

    public double accuracy() {
        return figure("accuracy");
    }
}
