package kiln.runtime.tune;

import java.util.LinkedHashMap;
import java.util.Map;

/** One configuration of a search: its 1-based number, the seed it trains with, and a value per hyperparameter. */
public record Trial(int number, long seed, Map<String, Double> values) {
    public Trial {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public double value(String name) {
        Double v = values.get(name);
        if (v == null) throw new IllegalArgumentException("trial " + number + " has no hyperparameter '" + name + "'; it has " + values.keySet());
        return v;
    }

    public int intValue(String name) {
        return (int) Math.round(value(name));
    }
}
