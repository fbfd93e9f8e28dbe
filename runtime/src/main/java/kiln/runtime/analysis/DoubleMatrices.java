package kiln.runtime.analysis;

/**
 * Dense products of small double matrices (row-major, d up to about a thousand) for the
 * analyses here: a row of the result is built from scaled rows of the right operand, so the inner
 * loop is a vector {@link DoubleRows#addScaled} along contiguous rows.
 */
final class DoubleMatrices {
    private DoubleMatrices() {}

    /** {@code A B} [n, p] of A [n, m] and B [m, p]. */
    static double[] multiply(double[] a, double[] b, int n, int m, int p) {
        double[] c = new double[n * p];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double aik = a[i * m + k];
                if (aik != 0) DoubleRows.addScaled(aik, b, k * p, c, i * p, p);
            }
        }
        return c;
    }

    /** {@code A^T B} [n, p] of A [m, n] and B [m, p]. */
    static double[] transposeTimes(double[] a, double[] b, int m, int n, int p) {
        double[] c = new double[n * p];
        for (int k = 0; k < m; k++) {
            for (int i = 0; i < n; i++) {
                double aki = a[k * n + i];
                if (aki != 0) DoubleRows.addScaled(aki, b, k * p, c, i * p, p);
            }
        }
        return c;
    }

    /** {@code A B^T} [n, p] of A [n, m] and B [p, m]: dot products of rows. */
    static double[] timesTranspose(double[] a, double[] b, int n, int m, int p) {
        double[] c = new double[n * p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) c[i * p + j] = DoubleRows.dot(a, i * m, b, j * m, m);
        }
        return c;
    }

    /**
     * The square root of a symmetric positive semi-definite matrix [d, d]:
     * {@code V^T diag(sqrt(max(lambda, 0))) V} from its eigendecomposition; eigenvalues below zero
     * are rounding of a singular matrix and count as zero.
     */
    static double[] symmetricSquareRoot(double[] s, int d) {
        SymmetricEigen eigen = SymmetricEigen.of(s, d);
        double[] v = eigen.vectors(); // rows
        double[] scaled = v.clone();
        for (int j = 0; j < d; j++) {
            double root = Math.sqrt(Math.max(eigen.value(j), 0));
            for (int c = 0; c < d; c++) scaled[j * d + c] *= root;
        }
        return transposeTimes(v, scaled, d, d, d);
    }

    /** Averages the two triangles of a square matrix in place. */
    static void symmetrize(double[] a, int d) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) a[i * d + j] = a[j * d + i] = 0.5 * (a[i * d + j] + a[j * d + i]);
        }
    }
}
