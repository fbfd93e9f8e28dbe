package kiln.runtime.tune;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One hyperparameter of a search and the values it may take: a list of choices, or a range
 * (uniform or log-uniform) from which random search draws and in which grid search places a
 * given number of points. Integer hyperparameters (batch size, layer sizes) are rounded.
 */
public sealed interface Dimension permits Dimension.Choices, Dimension.Range {
    String name();

    boolean integer();

    /** The values grid search tries, in order; a range needs a point count. */
    double[] gridValues();

    /** One value drawn for random search. */
    double sample(SplittableRandom rnd);

    /** Whether the dimension can take more than one value (so it is worth a column in the results). */
    default boolean varies() {
        return !(this instanceof Choices c) || c.values().length > 1;
    }

    /** A value as the results table prints it. */
    default String format(double value) {
        if (integer()) return Long.toString(Math.round(value));
        // Four significant digits without trailing zeros or exponent: 0.0001, 0.05, 0.3162.
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", value)).stripTrailingZeros().toPlainString();
    }

    /** Listed values: grid search tries each, random search picks one uniformly. */
    record Choices(String name, boolean integer, double[] values) implements Dimension {
        public Choices {
            if (values.length == 0) throw new IllegalArgumentException(name + ": no values");
            values = values.clone();
        }

        @Override
        public double[] gridValues() {
            return values.clone();
        }

        @Override
        public double sample(SplittableRandom rnd) {
            return values[rnd.nextInt(values.length)];
        }
    }

    /**
     * Values from {@code low} to {@code high}: random search draws uniformly ({@code log} false) or
     * log-uniformly; grid search takes {@code points} evenly spaced values (on a log scale when
     * {@code log}), ends included; {@code points} 0 means random search only.
     */
    record Range(String name, boolean integer, double low, double high, boolean log, int points) implements Dimension {
        public Range {
            if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException(name + ": a range needs low < high, got " + low + " and " + high);
            }
            if (log && !(low > 0)) throw new IllegalArgumentException(name + ": a log range needs low > 0, got " + low);
            if (points < 0 || points == 1) throw new IllegalArgumentException(name + ": a grid range needs 2 or more points, got " + points);
        }

        @Override
        public double[] gridValues() {
            if (points == 0) {
                throw new IllegalArgumentException(name + ": grid search needs a point count, e.g. " + (log ? "log" : "lin") + ":"
                        + low + ":" + high + ":4");
            }
            double[] v = new double[points];
            for (int i = 0; i < points; i++) {
                double f = (double) i / (points - 1);
                v[i] = round(log ? Math.exp(Math.log(low) + f * (Math.log(high) - Math.log(low))) : low + f * (high - low));
            }
            v[0] = round(low);
            v[points - 1] = round(high);
            return integer ? Arrays.stream(v).distinct().toArray() : v;
        }

        @Override
        public double sample(SplittableRandom rnd) {
            double u = rnd.nextDouble();
            return round(log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low));
        }

        private double round(double v) {
            return integer ? Math.round(v) : v;
        }
    }

    /**
     * Parses the command-line form: {@code 0.01,0.05,0.1} (choices; one value is a fixed setting),
     * {@code log:1e-4:1e-1} or {@code lin:0:0.1} (ranges for random search), {@code log:1e-4:1e-1:4}
     * (with 4 grid points).
     */
    static Dimension parse(String name, String text, boolean integer) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("log:") || lower.startsWith("lin:")) {
            String[] parts = t.split(":");
            if (parts.length != 3 && parts.length != 4) {
                throw new IllegalArgumentException("'" + text + "' is not a range: use log:LOW:HIGH[:POINTS] or lin:LOW:HIGH[:POINTS]");
            }
            double low = number(name, parts[1]), high = number(name, parts[2]);
            int points = 0;
            if (parts.length == 4) {
                try {
                    points = Integer.parseInt(parts[3]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + parts[3] + "' is not a point count");
                }
            }
            return new Range(name, integer, low, high, lower.startsWith("log:"), points);
        }
        String[] items = t.split(",");
        double[] values = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = number(name, items[i]);
            if (integer && values[i] != Math.rint(values[i])) throw new IllegalArgumentException("'" + items[i].strip() + "' is not a whole number");
        }
        return new Choices(name, integer, values);
    }

    private static double number(String name, String text) {
        try {
            double v = Double.parseDouble(text.strip());
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text.strip() + "' is not a number");
    }
}
