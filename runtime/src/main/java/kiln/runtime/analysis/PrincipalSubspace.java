package kiln.runtime.analysis;

import java.util.Arrays;

/**
 * The principal directions of data rows X [n, d]: the eigendecomposition of the Gram matrix
 * {@code X^T X}, whose eigenvectors are the right singular vectors of X and whose eigenvalues are
 * the squared singular values. {@link #basis(int) basis(k)} spans the subspace of the best rank-k
 * approximation of X (Eckart-Young), which is what a linear autoencoder of bottleneck k trained
 * on the mean squared error converges to (Baldi and Hornik, 1989); {@link #optimalMse(int)} is
 * that approximation's error.
 *
 * <p>{@link #of} uses X as it is (a linear autoencoder without biases); {@link #ofCentered} uses X
 * less its column means (with biases, the best affine rank-k reconstruction
 * {@code mean + P (x - mean)}: PCA).
 *
 * <p>Cost for 60,000 MNIST images: the Gram matrix, then one 784 x 784 eigendecomposition; about
 * 1.5 s of CPU together (see {@link GramMatrix} and {@link SymmetricEigen}).
 */
public final class PrincipalSubspace {
    private final int dimension;
    private final long count;
    private final double[] mean; // null when uncentered
    private final SymmetricEigen eigen;

    private PrincipalSubspace(int dimension, long count, double[] mean, SymmetricEigen eigen) {
        this.dimension = dimension;
        this.count = count;
        this.mean = mean;
        this.eigen = eigen;
    }

    /** Of rows X [n, d] as they are: the right singular vectors of X. */
    public static PrincipalSubspace of(float[] rows, int n, int d) {
        DataRows.check(rows, n, d);
        return new PrincipalSubspace(d, n, null, SymmetricEigen.of(GramMatrix.of(rows, n, d), d));
    }

    /** Of rows X [n, d] less their column means: the principal components. */
    public static PrincipalSubspace ofCentered(float[] rows, int n, int d) {
        double[] mean = GaussianFit.mean(rows, n, d);
        return new PrincipalSubspace(d, n, mean, SymmetricEigen.of(GramMatrix.centered(rows, n, d, mean), d));
    }

    /** d, the length of a row. */
    public int dimension() {
        return dimension;
    }

    /** n, the number of rows. */
    public long count() {
        return count;
    }

    /** Whether the rows were centred ({@link #ofCentered}). */
    public boolean centered() {
        return mean != null;
    }

    /** The column means that were subtracted [d], or null when uncentered (a copy). */
    public double[] mean() {
        return mean == null ? null : mean.clone();
    }

    /**
     * The eigenvalues of the Gram matrix, descending [d]: the squared singular values of X (or of
     * the centred X). Rounding can leave the ones that are really zero at about -1e-12 of the largest.
     */
    public double[] squaredSingularValues() {
        return eigen.values();
    }

    /** The top-k right singular vectors as orthonormal rows [k, d], largest singular value first. */
    public double[] basis(int k) {
        checkRank(k);
        double[] all = eigen.vectors();
        return Arrays.copyOf(all, k * dimension);
    }

    /**
     * The mean squared error per element of the best rank-k reconstruction of the rows:
     * {@code (sum of the eigenvalues after the k-th) / (n d)}, negative rounding counted as zero.
     * It is comparable with a model's reconstruction error taken as the mean over all n x d
     * elements (PyTorch's {@code MSELoss(reduction='mean')}; see
     * {@link SubspaceComparison#meanSquaredError}). k = 0 gives the mean square of the (centred) data.
     */
    public double optimalMse(int k) {
        if (k < 0 || k > dimension) throw new IllegalArgumentException("rank must be in [0, " + dimension + "], got " + k);
        double tail = 0;
        for (int j = k; j < dimension; j++) tail += Math.max(eigen.value(j), 0);
        return tail / ((double) count * dimension);
    }

    private void checkRank(int k) {
        if (k < 1 || k > dimension) throw new IllegalArgumentException("rank must be in [1, " + dimension + "], got " + k);
    }
}
