package kiln.runtime.analysis;

import java.util.Arrays;

/**
 * The principal angles between two subspaces of R^d, each spanned by rows [k, d]: the cosines are
 * the singular values of {@code Qa Qb^T} [ka, kb], where Qa and Qb are orthonormal bases
 * ({@link Orthonormalization}). They are computed as the square roots of the eigenvalues of the
 * smaller of {@code M M^T} and {@code M^T M}, so there are min(ka, kb) of them, in descending
 * order (smallest angle first). A cosine of 1 means a shared direction, 0 an orthogonal one.
 *
 * <p>Going through squares resolves cosines to about 1e-8 near 0 and angles to about 1e-8 rad
 * near 0 (the cosine itself is accurate to rounding): plenty for "did the training find the SVD
 * subspace", not for angles of 1e-9.
 */
public final class PrincipalAngles {
    private PrincipalAngles() {}

    /**
     * The cosines of the principal angles between span(rows of {@code a} [ka, d]) and span(rows of
     * {@code b} [kb, d]); the rows of each must be independent but need not be orthonormal.
     */
    public static double[] cosines(double[] a, int ka, double[] b, int kb, int d) {
        double[] qa = Orthonormalization.rows(a, ka, d), qb = Orthonormalization.rows(b, kb, d);
        double[] m = DoubleMatrices.timesTranspose(qa, qb, ka, d, kb); // [ka, kb]
        int k = Math.min(ka, kb);
        double[] small = ka <= kb ? DoubleMatrices.timesTranspose(m, m, ka, kb, ka) : DoubleMatrices.transposeTimes(m, m, ka, kb, kb);
        DoubleMatrices.symmetrize(small, k);
        double[] squares = SymmetricEigen.of(small, k).values();
        double[] cosines = new double[k];
        for (int j = 0; j < k; j++) cosines[j] = Math.sqrt(Math.min(Math.max(squares[j], 0), 1));
        return cosines;
    }

    /** The angles in degrees, {@code acos(cosine)}, in the same order (ascending). */
    public static double[] degrees(double[] cosines) {
        return Arrays.stream(cosines).map(c -> Math.toDegrees(Math.acos(Math.min(Math.max(c, -1), 1)))).toArray();
    }
}
