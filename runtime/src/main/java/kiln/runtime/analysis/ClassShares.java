package kiln.runtime.analysis;

import java.util.Locale;

/**
 * What a classifier makes of a set of samples, from its class probabilities [n, classes] (a
 * softmax per row): how often each class is the arg-max, how confident the arg-max is on average,
 * and how evenly the arg-maxes spread over the classes. For a generator scored by a digit
 * classifier, even shares (entropy near {@code ln classes}) and a high mean top probability say
 * the samples cover every class and look like one each; a collapsed generator shows one share
 * near 100%.
 *
 * @param counts [classes]: how many rows had each class as their arg-max (the first on a tie)
 * @param meanTopProbability the mean over rows of the largest probability
 */
public record ClassShares(int[] counts, double meanTopProbability) {
    public ClassShares {
        if (counts.length == 0) throw new IllegalArgumentException("need >= 1 classes");
        counts = counts.clone();
    }

    /** Tallies the arg-max of each row of {@code probabilities} [n, classes]. */
    public static ClassShares of(float[] probabilities, int n, int classes) {
        DataRows.check("probabilities", probabilities, n, classes);
        int[] counts = new int[classes];
        double topSum = 0;
        for (int r = 0; r < n; r++) {
            int row = r * classes, best = 0;
            for (int c = 0; c < classes; c++) {
                float p = probabilities[row + c];
                if (Float.isNaN(p)) throw new IllegalArgumentException("probabilities: row " + r + " holds NaN at class " + c);
                if (p > probabilities[row + best]) best = c;
            }
            counts[best]++;
            topSum += probabilities[row + best];
        }
        return new ClassShares(counts, topSum / n);
    }

    /** The counts (a copy). */
    @Override
    public int[] counts() {
        return counts.clone();
    }

    /** The number of classes. */
    public int classes() {
        return counts.length;
    }

    /** n, the number of rows tallied. */
    public long total() {
        long sum = 0;
        for (int c : counts) sum += c;
        return sum;
    }

    /** The fraction of rows whose arg-max is {@code c}. */
    public double share(int c) {
        return (double) counts[c] / total();
    }

    /** The fractions of rows per class [classes], summing to 1. */
    public double[] shares() {
        double[] s = new double[counts.length];
        for (int c = 0; c < s.length; c++) s[c] = share(c);
        return s;
    }

    /** The entropy of the shares in nats, {@code -sum s ln s}: 0 when one class takes all, {@code ln classes} when even. */
    public double entropy() {
        double h = 0;
        for (int c = 0; c < counts.length; c++) {
            double s = share(c);
            if (s > 0) h -= s * Math.log(s);
        }
        return h;
    }

    /** One line, e.g. {@code shares 0:9.8% 1:11.2% ... 9:10.1%  mean top probability 0.93  entropy 2.30 of 2.30 nats}. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder("shares");
        for (int c = 0; c < counts.length; c++) line.append(String.format(Locale.ROOT, " %d:%.1f%%", c, 100 * share(c)));
        line.append(String.format(Locale.ROOT, "  mean top probability %.2f  entropy %.2f of %.2f nats",
                meanTopProbability, entropy(), Math.log(counts.length)));
        return line.toString();
    }
}
