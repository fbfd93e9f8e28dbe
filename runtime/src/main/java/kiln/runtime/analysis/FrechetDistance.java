package kiln.runtime.analysis;

import java.util.Locale;

/**
 * The Fréchet distance between two Gaussians, as in the FID of Heusel et al. (2017) and
 * pytorch-fid: {@code FD = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^{1/2})}, the squared
 * 2-Wasserstein distance between N(mu1, S1) and N(mu2, S2).
 *
 * <p>The trace of the matrix square root is computed stably from symmetric matrices only:
 * {@code S1 S2} is similar to {@code S1^{1/2} S2 S1^{1/2}}, which is symmetric positive
 * semi-definite, so {@code Tr((S1 S2)^{1/2})} is the sum of the square roots of its eigenvalues
 * (tiny negative ones, rounding of a singular covariance, count as zero). {@code S1^{1/2}} comes
 * from the eigendecomposition of S1. No complex parts to discard, unlike {@code scipy.linalg.sqrtm}.
 * Cost: three d^3 products and two d x d eigendecompositions (d = 128: milliseconds).
 *
 * @param meanTerm {@code ||mu1 - mu2||^2}
 * @param covarianceTerm {@code Tr(S1 + S2 - 2 (S1 S2)^{1/2})}, the squared Bures distance, clamped at 0
 *     (it is never negative; rounding could make it -1e-15)
 */
public record FrechetDistance(double meanTerm, double covarianceTerm) {
    /** The distance between the Gaussians fitted to feature rows [n1, d] and [n2, d] (n1, n2 >= 2). */
    public static FrechetDistance of(float[] first, int n1, float[] second, int n2, int d) {
        DataRows.check("first", first, n1, d);
        DataRows.check("second", second, n2, d);
        return between(GaussianFit.of(first, n1, d), GaussianFit.of(second, n2, d));
    }

    /** The distance between two fitted Gaussians of the same dimension. */
    public static FrechetDistance between(GaussianFit first, GaussianFit second) {
        int d = first.dimension();
        if (second.dimension() != d) {
            throw new IllegalArgumentException("cannot compare a " + d + "-dimensional Gaussian with a " + second.dimension() + "-dimensional one");
        }
        double[] mu1 = first.mean(), mu2 = second.mean();
        double meanTerm = 0;
        for (int j = 0; j < d; j++) meanTerm += (mu1[j] - mu2[j]) * (mu1[j] - mu2[j]);
        double[] root1 = DoubleMatrices.symmetricSquareRoot(first.covariance(), d);
        double[] product = DoubleMatrices.multiply(DoubleMatrices.multiply(root1, second.covariance(), d, d, d), root1, d, d, d);
        DoubleMatrices.symmetrize(product, d);
        double traceOfRoot = 0;
        for (double lambda : SymmetricEigen.of(product, d).values()) traceOfRoot += Math.sqrt(Math.max(lambda, 0));
        double covarianceTerm = first.totalVariance() + second.totalVariance() - 2 * traceOfRoot;
        return new FrechetDistance(meanTerm, Math.max(covarianceTerm, 0));
    }

    /** FD itself: the mean term plus the covariance term. */
    public double value() {
        return meanTerm + covarianceTerm;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Frechet distance %.6g (means %.6g, covariances %.6g)", value(), meanTerm, covarianceTerm);
    }
}
