package kiln.runtime.analysis;

import java.util.Locale;

/**
 * The check of a linear autoencoder against the SVD: how far the span of its k-dimensional code
 * is from the top-k right singular vectors of the training data, and the error of the best
 * rank-k reconstruction, which a trained linear autoencoder should approach from above.
 *
 * <p>For a decoder {@code Dense(k -> d)} in PyTorch layout, W [d, k] (rows are outputs), the
 * reconstruction {@code W h + b} lies in the span of W's k columns; {@link #ofDecoder} compares
 * that span with {@link PrincipalSubspace#basis(int) basis(k)}. A trained model's span should
 * match (all cosines near 1), though its columns need not be the singular vectors themselves:
 * any invertible mix of them reconstructs as well.
 *
 * <p>The caller's own error compares with {@link #optimalMse()} when it is the mean over all n x d
 * elements of the squared difference between reconstruction and image, as
 * {@link #meanSquaredError} computes it (and PyTorch's {@code MSELoss()} with its default mean).
 * Compare a model without biases with {@link PrincipalSubspace#of}, and one with biases with
 * {@link PrincipalSubspace#ofCentered}.
 *
 * @param cosines the cosines of the k principal angles, descending (see {@link PrincipalAngles})
 * @param optimalMse the mean squared error per element of the best rank-k reconstruction
 */
public record SubspaceComparison(double[] cosines, double optimalMse) {
    public SubspaceComparison {
        cosines = cosines.clone();
    }

    /**
     * Compares the span of the columns of a decoder weight W [outputs, inputs] (PyTorch layout:
     * {@code inputs} = k, the code size) with the data's top-k principal subspace
     * ({@code outputs} must be the data's d).
     */
    public static SubspaceComparison ofDecoder(PrincipalSubspace data, float[] weight, int outputs, int inputs) {
        DataRows.check("decoder weight", weight, outputs, inputs);
        return ofRows(data, columns(weight, outputs, inputs), inputs);
    }

    /**
     * Compares the span of k vectors given as rows [k, d] (for example an encoder weight, PyTorch
     * layout [k, d], converted to double) with the data's top-k principal subspace.
     */
    public static SubspaceComparison ofRows(PrincipalSubspace data, double[] spanning, int k) {
        int d = data.dimension();
        if (k < 1 || k > d) throw new IllegalArgumentException("rank must be in [1, " + d + "], got " + k);
        if (spanning.length != (long) k * d) {
            throw new IllegalArgumentException(k + " vectors of the data's length " + d + " need " + (long) k * d
                    + " values, got " + spanning.length);
        }
        return new SubspaceComparison(PrincipalAngles.cosines(spanning, k, data.basis(k), k, d), data.optimalMse(k));
    }

    /**
     * The mean over all elements of {@code (reconstruction - target)^2}, in double: a model's
     * reconstruction error on the same footing as {@link #optimalMse()}.
     */
    public static double meanSquaredError(float[] reconstruction, float[] target) {
        if (reconstruction.length != target.length) {
            throw new IllegalArgumentException("reconstruction has " + reconstruction.length + " values, target " + target.length);
        }
        if (target.length == 0) throw new IllegalArgumentException("no values to compare");
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            double e = (double) reconstruction[i] - target[i];
            sum += e * e;
        }
        return sum / target.length;
    }

    /** The columns of W [rows, columns] as rows [columns, rows] in double. */
    static double[] columns(float[] weight, int rows, int columns) {
        double[] t = new double[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) t[c * rows + r] = weight[r * columns + c];
        }
        return t;
    }

    /** The cosines (a copy). */
    @Override
    public double[] cosines() {
        return cosines.clone();
    }

    /** k, the dimension of the compared subspaces. */
    public int rank() {
        return cosines.length;
    }

    /** The cosine of the largest principal angle: 1 when the spans agree entirely. */
    public double smallestCosine() {
        return cosines[cosines.length - 1];
    }

    /** The principal angles in degrees, ascending. */
    public double[] anglesDegrees() {
        return PrincipalAngles.degrees(cosines);
    }

    /**
     * One line: the cosines, the largest angle, and the model's error against the optimum, e.g.
     * {@code rank 16: cosines 1.000 0.999 ... 0.981 (largest angle 11.1 deg); MSE 0.01832 vs rank-16 optimum 0.01797 (1.019x)}.
     */
    public String describe(double modelMse) {
        StringBuilder line = new StringBuilder("rank ").append(rank()).append(": cosines");
        for (double c : cosines) line.append(String.format(Locale.ROOT, " %.3f", c));
        line.append(String.format(Locale.ROOT, " (largest angle %.1f deg); MSE %.5g vs rank-%d optimum %.5g (%.3fx)",
                anglesDegrees()[rank() - 1], modelMse, rank(), optimalMse, modelMse / optimalMse));
        return line.toString();
    }
}
