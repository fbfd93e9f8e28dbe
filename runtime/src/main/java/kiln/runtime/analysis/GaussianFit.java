package kiln.runtime.analysis;

/**
 * The Gaussian fitted to data rows by moments: the mean [d] and the unbiased covariance [d, d]
 * (divided by n - 1), in double, as numpy's {@code X.mean(axis=0)} and
 * {@code np.cov(X, rowvar=False)}, and as pytorch-fid fits the Inception features of a set of
 * images. The covariance is the scatter about the mean ({@link GramMatrix#centered}), so a large
 * common offset of the data does not cancel away its digits.
 *
 * @param mean [d]
 * @param covariance [d, d] row-major, symmetric
 * @param count the number of rows fitted, n >= 2
 */
public record GaussianFit(double[] mean, double[] covariance, long count) {
    public GaussianFit {
        if (mean == null || covariance == null) throw new NullPointerException(mean == null ? "mean" : "covariance");
        if (mean.length == 0) throw new IllegalArgumentException("a Gaussian fit needs >= 1 dimensions");
        if (covariance.length != (long) mean.length * mean.length) {
            throw new IllegalArgumentException("a " + mean.length + "-dimensional mean needs a " + mean.length + " x "
                    + mean.length + " covariance, got " + covariance.length + " values");
        }
        if (count < 2) throw new IllegalArgumentException("a Gaussian fit needs >= 2 rows, got " + count);
        mean = mean.clone();
        covariance = covariance.clone();
    }

    /** Fits rows X [n, d] (n >= 2). */
    public static GaussianFit of(float[] rows, int n, int d) {
        DataRows.check(rows, n, d);
        if (n < 2) throw new IllegalArgumentException("a Gaussian fit needs >= 2 rows, got " + n);
        double[] mean = mean(rows, n, d);
        double[] covariance = GramMatrix.centered(rows, n, d, mean);
        for (int i = 0; i < covariance.length; i++) covariance[i] /= n - 1;
        return new GaussianFit(mean, covariance, n);
    }

    /** The column means [d] of rows X [n, d], summed in double in row order. */
    public static double[] mean(float[] rows, int n, int d) {
        DataRows.check(rows, n, d);
        double[] sum = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0, in = r * d; j < d; j++) sum[j] += rows[in + j];
        }
        for (int j = 0; j < d; j++) sum[j] /= n;
        return sum;
    }

    /** d, the number of features. */
    public int dimension() {
        return mean.length;
    }

    /** The mean [d] (a copy). */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** The covariance [d, d] row-major (a copy). */
    @Override
    public double[] covariance() {
        return covariance.clone();
    }

    /** The sum of the variances, {@code Tr(S)}. */
    public double totalVariance() {
        double trace = 0;
        for (int i = 0, d = mean.length; i < d; i++) trace += covariance[i * d + i];
        return trace;
    }
}
