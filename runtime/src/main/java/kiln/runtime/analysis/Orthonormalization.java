package kiln.runtime.analysis;

/**
 * An orthonormal basis of the span of k vectors in R^d, by modified Gram-Schmidt in double with
 * a second pass ("twice is enough": after it the rows are orthonormal to rounding, however close
 * to dependent the input was). The vectors are rows [k, d]; row i of the result spans, with rows
 * before it, the same space as the first i + 1 input rows.
 */
public final class Orthonormalization {
    /**
     * A row whose length after projection is below this fraction of its original length is taken
     * as lying in the span of the rows before it: its direction would be mostly rounding.
     */
    static final double DEPENDENCE_TOLERANCE = 1e-10;

    private Orthonormalization() {}

    /** Orthonormal rows [k, d] spanning what the rows of {@code vectors} [k, d] span (not modified). */
    public static double[] rows(double[] vectors, int k, int d) {
        if (k < 1 || d < 1) throw new IllegalArgumentException("need >= 1 vectors of length >= 1, got " + k + " of length " + d);
        if (vectors.length != (long) k * d) {
            throw new IllegalArgumentException(k + " vectors of length " + d + " need " + (long) k * d + " values, got " + vectors.length);
        }
        if (k > d) throw new IllegalArgumentException(k + " vectors in R^" + d + " cannot be independent");
        double[] q = vectors.clone();
        for (int i = 0; i < k; i++) {
            int row = i * d;
            double before = Math.sqrt(DoubleRows.dot(q, row, q, row, d));
            if (!Double.isFinite(before)) throw new IllegalArgumentException("vector " + i + " holds a NaN or infinite value");
            if (before == 0) throw new IllegalArgumentException("vector " + i + " is zero");
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) DoubleRows.addScaled(-DoubleRows.dot(q, j * d, q, row, d), q, j * d, q, row, d);
            }
            double after = Math.sqrt(DoubleRows.dot(q, row, q, row, d));
            if (after <= DEPENDENCE_TOLERANCE * before) {
                throw new IllegalArgumentException("vector " + i + " lies in the span of the vectors before it");
            }
            for (int c = 0; c < d; c++) q[row + c] /= after;
        }
        return q;
    }
}
