package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SymmetricEigenTest {
    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 7, 17, 64, 129})
    void recoversAKnownSpectrumAndItsVectors(int n) {
        Random random = new Random(n);
        double[] q = TestMatrices.orthonormalRows(n, n, random);
        double[] values = new double[n];
        for (int j = 0; j < n; j++) values[j] = 10 - 15.0 * j / n; // distinct, descending, some negative
        SymmetricEigen eigen = SymmetricEigen.of(TestMatrices.fromEigen(values, q, n), n);

        assertEquals(n, eigen.size());
        assertEquals(n, eigen.count());
        for (int j = 0; j < n; j++) {
            assertEquals(values[j], eigen.value(j), 1e-12 * 10, "value " + j);
            double overlap = Math.abs(TestMatrices.dot(eigen.vector(j), 0, q, j * n, n));
            assertEquals(1, overlap, 1e-10, "vector " + j + " against the known one (up to sign)");
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {5, 50, 200})
    void randomSymmetricMatrixHasSmallResidualsAndOrthonormalVectors(int n) {
        Random random = new Random(42 + n);
        double[] a = TestMatrices.randomSymmetric(n, random);
        SymmetricEigen eigen = SymmetricEigen.of(a, n);
        double[] v = eigen.vectors();
        double norm = Math.sqrt(n) * 2; // about ||A||_2 for a Wigner matrix
        for (int j = 0; j < n; j++) {
            if (j > 0) assertTrue(eigen.value(j) <= eigen.value(j - 1), "descending at " + j);
            double residual = 0;
            for (int r = 0; r < n; r++) {
                double av = TestMatrices.dot(a, r * n, v, j * n, n);
                residual = Math.max(residual, Math.abs(av - eigen.value(j) * v[j * n + r]));
            }
            assertTrue(residual < 1e-13 * n * norm, "residual " + residual + " of pair " + j);
            for (int k = 0; k <= j; k++) {
                assertEquals(j == k ? 1 : 0, TestMatrices.dot(v, j * n, v, k * n, n), 1e-13 * n, "v" + j + " . v" + k);
            }
        }
        double trace = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i * n + i];
            sum += eigen.value(i);
        }
        assertEquals(trace, sum, 1e-12 * n * norm);
    }

    @Test
    void twoByTwoByHand() {
        SymmetricEigen eigen = SymmetricEigen.of(new double[] {2, 1, 1, 2}, 2);
        assertArrayEquals(new double[] {3, 1}, eigen.values(), 1e-15);
        double h = Math.sqrt(0.5);
        assertEquals(1, Math.abs(eigen.vector(0)[0] * h + eigen.vector(0)[1] * h), 1e-15);
        assertEquals(1, Math.abs(eigen.vector(1)[0] * h - eigen.vector(1)[1] * h), 1e-15);
    }

    @Test
    void diagonalMatrixIsSortedDescendingWithUnitVectors() {
        double[] a = {-1, 0, 0, 0, 5, 0, 0, 0, 2};
        SymmetricEigen eigen = SymmetricEigen.of(a, 3);
        assertArrayEquals(new double[] {5, 2, -1}, eigen.values(), 0);
        assertEquals(1, Math.abs(eigen.vector(0)[1]), 0);
        assertEquals(1, Math.abs(eigen.vector(1)[2]), 0);
        assertEquals(1, Math.abs(eigen.vector(2)[0]), 0);
    }

    @Test
    void repeatedEigenvaluesStillGiveAnOrthonormalBasisOfEachEigenspace() {
        int n = 12;
        double[] q = TestMatrices.orthonormalRows(n, n, new Random(3));
        double[] values = {4, 4, 4, 4, 1, 1, 1, 0, 0, 0, 0, -2};
        double[] a = TestMatrices.fromEigen(values, q, n);
        SymmetricEigen eigen = SymmetricEigen.of(a, n);
        assertArrayEquals(values, eigen.values(), 1e-13);
        double[] v = eigen.vectors();
        for (int j = 0; j < n; j++) {
            for (int k = 0; k <= j; k++) assertEquals(j == k ? 1 : 0, TestMatrices.dot(v, j * n, v, k * n, n), 1e-13);
        }
        // The eigenvectors reconstruct A.
        assertArrayEquals(a, TestMatrices.fromEigen(eigen.values(), v, n), 1e-13);
    }

    @Test
    void zeroAndIdentityMatrices() {
        SymmetricEigen zero = SymmetricEigen.of(new double[16], 4);
        assertArrayEquals(new double[4], zero.values(), 0);
        double[] identity = new double[25];
        for (int i = 0; i < 5; i++) identity[i * 5 + i] = 3;
        assertArrayEquals(new double[] {3, 3, 3, 3, 3}, SymmetricEigen.of(identity, 5).values(), 0);
    }

    @Test
    void oneByOne() {
        SymmetricEigen eigen = SymmetricEigen.of(new double[] {-7.5}, 1);
        assertArrayEquals(new double[] {-7.5}, eigen.values(), 0);
        assertArrayEquals(new double[] {1}, eigen.vector(0), 0);
    }

    @Test
    void topKIsTheLeadingPartOfTheFullDecomposition() {
        int n = 40;
        double[] a = TestMatrices.randomSymmetric(n, new Random(9));
        SymmetricEigen full = SymmetricEigen.of(a, n), top = SymmetricEigen.top(a, n, 5);
        assertEquals(5, top.count());
        assertEquals(n, top.size());
        for (int j = 0; j < 5; j++) {
            assertEquals(full.value(j), top.value(j), 0);
            assertArrayEquals(full.vector(j), top.vector(j), 0);
        }
        assertEquals(5 * n, top.vectors().length);
    }

    @Test
    void largeEntriesScaleAndTinyOnesStayAccurate() {
        int n = 6;
        double[] q = TestMatrices.orthonormalRows(n, n, new Random(5));
        double[] values = {3e150, 2e150, 1e150, -1e150, 5e149, 1e149};
        double[] big = TestMatrices.fromEigen(values, q, n);
        double[] got = SymmetricEigen.of(big, n).values();
        double[] want = {3e150, 2e150, 1e150, 5e149, 1e149, -1e150};
        for (int j = 0; j < n; j++) assertEquals(want[j], got[j], 1e-13 * 3e150);
        double[] tiny = TestMatrices.fromEigen(new double[] {3e-150, 1e-150, 0, 0, 0, 0}, q, n);
        assertEquals(3e-150, SymmetricEigen.of(tiny, n).value(0), 1e-13 * 3e-150);
    }

    @Test
    void rejectsBadInputWithOneLine() {
        assertEquals("matrix is not symmetric: (1, 0) = 2.0 but (0, 1) = 1.0",
                assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 1, 2, 1}, 2)).getMessage());
        assertEquals("matrix holds NaN at (1, 1)",
                assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 0, 0, Double.NaN}, 2)).getMessage());
        assertEquals("a 2 x 2 matrix needs 4 values, got 3",
                assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[3], 2)).getMessage());
        assertEquals("matrix size must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[0], 0)).getMessage());
        assertEquals("top k must be in [1, 2], got 3",
                assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.top(new double[4], 2, 3)).getMessage());
    }

    @Test
    void roundingLevelAsymmetryIsAveragedAway() {
        double[] a = {2, 1 + 1e-13, 1, 2};
        assertArrayEquals(new double[] {3, 1}, SymmetricEigen.of(a, 2).values(), 1e-12);
    }
}
