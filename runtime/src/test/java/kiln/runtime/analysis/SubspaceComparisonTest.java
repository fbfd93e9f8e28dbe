package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SVD check on data whose SVD is known exactly: X [32, 16] = sum_j s_j h_j v_j^T with h_j
 * columns of a 32 x 32 Hadamard matrix (entries ±1, norm sqrt 32, each summing to zero) and v_j
 * rows of a 16 x 16 Hadamard matrix over 4 (entries ±0.25, unit length), so every entry is exact
 * in float. The singular values are s_j sqrt 32; the squared ones, 32 s_j^2.
 */
class SubspaceComparisonTest {
    static final int N = 32, D = 16;
    static final double[] S = {5, 4, 3, 2, 1};

    @Test
    void eigenvaluesOfTheGramMatrixAreTheSquaredSingularValues() {
        PrincipalSubspace data = PrincipalSubspace.of(data(0), N, D);
        double[] squares = data.squaredSingularValues();
        for (int j = 0; j < D; j++) assertEquals(j < S.length ? 32 * S[j] * S[j] : 0, squares[j], 1e-11, "sigma^2 " + j);
        assertEquals(D, data.dimension());
        assertEquals(N, data.count());
        // The basis is the known right singular vectors, up to sign.
        double[] basis = data.basis(S.length), v = rightVectors();
        for (int j = 0; j < S.length; j++) assertEquals(1, Math.abs(TestMatrices.dot(basis, j * D, v, j * D, D)), 1e-13);
    }

    @Test
    void aDecoderSpanningTheTopVectorsHasCosinesOne() {
        PrincipalSubspace data = PrincipalSubspace.of(data(0), N, D);
        double[] v = rightVectors();
        double[] mix = {2, 1, 0, -1, 3, 1, 0.5, 0, 1}; // invertible 3 x 3
        double[] rows = TestMatrices.multiply(mix, v, 3, 3, D); // 3 mixed top vectors [3, D]
        SubspaceComparison c = SubspaceComparison.ofDecoder(data, decoderOf(rows, 3), D, 3);
        assertArrayEquals(new double[] {1, 1, 1}, c.cosines(), 1e-7); // float weights
        assertEquals(3, c.rank());
        assertEquals(32.0 * (2 * 2 + 1 * 1) / (N * D), c.optimalMse(), 1e-13); // sigma_4^2 + sigma_5^2 over n d
    }

    @Test
    void aDecoderTurnedByAKnownAngleInAPlaneHasThatCosine() {
        PrincipalSubspace data = PrincipalSubspace.of(data(0), N, D);
        double[] v = rightVectors();
        double theta = Math.toRadians(30);
        double[] rows = new double[3 * D];
        for (int c = 0; c < D; c++) {
            rows[c] = v[c];
            rows[D + c] = v[D + c];
            rows[2 * D + c] = Math.cos(theta) * v[2 * D + c] + Math.sin(theta) * v[7 * D + c]; // v2 turned towards v7
        }
        SubspaceComparison c = SubspaceComparison.ofRows(data, rows, 3);
        assertArrayEquals(new double[] {1, 1, Math.cos(theta)}, c.cosines(), 1e-12);
        assertEquals(30, c.anglesDegrees()[2], 1e-9);
        assertEquals(Math.cos(theta), c.smallestCosine(), 1e-12);
        // In float, through the decoder layout, to float accuracy.
        assertArrayEquals(new double[] {1, 1, Math.cos(theta)}, SubspaceComparison.ofDecoder(data, decoderOf(rows, 3), D, 3).cosines(), 1e-6);
    }

    @Test
    void optimalErrorIsTheDroppedSquaredSingularValuesOverNdAndTheProjectionAchievesIt() {
        float[] x = data(0);
        PrincipalSubspace data = PrincipalSubspace.of(x, N, D);
        for (int k = 0; k <= D; k++) {
            double dropped = 0;
            for (int j = k; j < S.length; j++) dropped += 32 * S[j] * S[j];
            assertEquals(dropped / (N * D), data.optimalMse(k), 1e-13, "rank " + k);
        }
        // The rank-2 projection X V2^T V2, scored as a caller scores its model: the same number.
        double[] v2 = data.basis(2);
        float[] reconstruction = new float[N * D];
        for (int r = 0; r < N; r++) {
            for (int j = 0; j < 2; j++) {
                double coefficient = 0;
                for (int c = 0; c < D; c++) coefficient += x[r * D + c] * v2[j * D + c];
                for (int c = 0; c < D; c++) reconstruction[r * D + c] += (float) (coefficient * v2[j * D + c]);
            }
        }
        assertEquals(data.optimalMse(2), SubspaceComparison.meanSquaredError(reconstruction, x), 1e-6);
    }

    @Test
    void centeredRowsGiveThePrincipalComponentsWhateverTheOffset() {
        float[] shifted = data(0.5f); // every row plus 0.5 in each column
        PrincipalSubspace centered = PrincipalSubspace.ofCentered(shifted, N, D), raw = PrincipalSubspace.of(shifted, N, D);
        assertEquals(true, centered.centered());
        assertEquals(false, raw.centered());
        assertArrayEquals(filled(D, 0.5), centered.mean(), 1e-15);
        for (int j = 0; j < D; j++) {
            assertEquals(j < S.length ? 32 * S[j] * S[j] : 0, centered.squaredSingularValues()[j], 1e-10, "sigma^2 " + j);
        }
        // Uncentered, the offset adds n ||0.5 * ones||^2 = 32 * 16 * 0.25 to the total square (the
        // columns h_j have zero mean, so there are no cross terms); k = 0 keeps all of it.
        assertEquals(32 * 16 * 0.25, raw.optimalMse(0) * N * D - 32 * (25 + 16 + 9 + 4 + 1), 1e-9);
    }

    @Test
    void describesTheComparisonInOneLine() {
        SubspaceComparison c = new SubspaceComparison(new double[] {1, Math.cos(Math.toRadians(30))}, 0.02);
        assertEquals("rank 2: cosines 1.000 0.866 (largest angle 30.0 deg); MSE 0.021000 vs rank-2 optimum 0.020000 (1.050x)",
                c.describe(0.021));
    }

    @Test
    void rejectsMisshapenInputWithOneLine() {
        PrincipalSubspace data = PrincipalSubspace.of(data(0), N, D);
        assertEquals("decoder weight: 16 rows of 3 need 48 floats, got 47", assertThrows(IllegalArgumentException.class,
                () -> SubspaceComparison.ofDecoder(data, new float[47], D, 3)).getMessage());
        assertEquals("rank must be in [1, 16], got 17", assertThrows(IllegalArgumentException.class,
                () -> SubspaceComparison.ofRows(data, new double[17 * D], 17)).getMessage());
        assertEquals("2 vectors of the data's length 16 need 32 values, got 30", assertThrows(IllegalArgumentException.class,
                () -> SubspaceComparison.ofRows(data, new double[30], 2)).getMessage());
        assertEquals("reconstruction has 3 values, target 4", assertThrows(IllegalArgumentException.class,
                () -> SubspaceComparison.meanSquaredError(new float[3], new float[4])).getMessage());
        assertEquals("rank must be in [0, 16], got -1", assertThrows(IllegalArgumentException.class,
                () -> data.optimalMse(-1)).getMessage());
    }

    @Test
    void randomDataAgreesWithTheFloatGramMatrixPath() {
        // A larger case through the blocked Gram matrix: the basis diagonalises X^T X.
        int n = 700, d = 40;
        float[] x = GramMatrixTest.randomRows(n, d, new Random(5));
        PrincipalSubspace data = PrincipalSubspace.of(x, n, d);
        double[] g = GramMatrixTest.naive(x, n, d, new double[d]);
        double[] b = data.basis(d);
        for (int j = 0; j < d; j++) {
            double[] gv = TestMatrices.multiply(g, Arrays.copyOfRange(b, j * d, (j + 1) * d), d, d, 1);
            for (int c = 0; c < d; c++) assertEquals(data.squaredSingularValues()[j] * b[j * d + c], gv[c], 1e-9 * n);
        }
    }

    /** X [N, D] = sum_j S_j h_{j+1} v_j^T, plus {@code offset} in every entry. */
    static float[] data(float offset) {
        int[][] h = hadamard(N);
        double[] v = rightVectors();
        float[] x = new float[N * D];
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < D; c++) {
                double sum = offset;
                for (int j = 0; j < S.length; j++) sum += S[j] * h[r][j + 1] * v[j * D + c]; // column 0 (all ones) skipped: zero-mean columns
                x[r * D + c] = (float) sum;
            }
        }
        return x;
    }

    /** The rows of the 16 x 16 Sylvester-Hadamard matrix over 4: orthonormal, entries ±0.25. */
    static double[] rightVectors() {
        int[][] h = hadamard(D);
        double[] v = new double[D * D];
        for (int j = 0; j < D; j++) for (int c = 0; c < D; c++) v[j * D + c] = h[j][c] / 4.0;
        return v;
    }

    static int[][] hadamard(int n) {
        int[][] h = {{1}};
        for (int size = 1; size < n; size *= 2) {
            int[][] next = new int[2 * size][2 * size];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    next[i][j] = next[i][j + size] = next[i + size][j] = h[i][j];
                    next[i + size][j + size] = -h[i][j];
                }
            }
            h = next;
        }
        return h;
    }

    /** A decoder weight W [D, k] in PyTorch layout whose columns are the given rows [k, D]. */
    static float[] decoderOf(double[] rows, int k) {
        float[] w = new float[D * k];
        for (int j = 0; j < k; j++) for (int c = 0; c < D; c++) w[c * k + j] = (float) rows[j * D + c];
        return w;
    }

    static double[] filled(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }
}
