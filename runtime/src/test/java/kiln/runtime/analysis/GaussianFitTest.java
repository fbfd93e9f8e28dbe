package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GaussianFitTest {
    @Test
    void meanAndUnbiasedCovarianceAsNumpyComputesThem() {
        // np.cov([[1, 2], [3, 4], [5, 0]], rowvar=False) = [[4, -2], [-2, 4]]; mean (3, 2)
        GaussianFit fit = GaussianFit.of(new float[] {1, 2, 3, 4, 5, 0}, 3, 2);
        assertArrayEquals(new double[] {3, 2}, fit.mean(), 1e-15);
        assertArrayEquals(new double[] {4, -2, -2, 4}, fit.covariance(), 1e-14);
        assertEquals(3, fit.count());
        assertEquals(2, fit.dimension());
        assertEquals(8, fit.totalVariance(), 1e-14);
    }

    @Test
    void aLargeOffsetDoesNotCancelTheCovariance() {
        // float values 10000 + {0, 0.5, 1}: variance 0.25, which X^T X / n - mean^2 would lose
        GaussianFit fit = GaussianFit.of(new float[] {10000f, 10000.5f, 10001f}, 3, 1);
        assertEquals(10000.5, fit.mean()[0], 1e-12);
        assertEquals(0.25, fit.covariance()[0], 1e-12);
    }

    @Test
    void accessorsReturnCopies() {
        GaussianFit fit = new GaussianFit(new double[] {1}, new double[] {2}, 5);
        fit.mean()[0] = 9;
        fit.covariance()[0] = 9;
        assertEquals(1, fit.mean()[0]);
        assertEquals(2, fit.covariance()[0]);
    }

    @Test
    void rejectsBadInputWithOneLine() {
        assertEquals("a Gaussian fit needs >= 2 rows, got 1",
                assertThrows(IllegalArgumentException.class, () -> GaussianFit.of(new float[3], 1, 3)).getMessage());
        assertEquals("a 2-dimensional mean needs a 2 x 2 covariance, got 3 values",
                assertThrows(IllegalArgumentException.class, () -> new GaussianFit(new double[2], new double[3], 4)).getMessage());
        assertEquals("rows: 2 rows of 3 need 6 floats, got 7",
                assertThrows(IllegalArgumentException.class, () -> GaussianFit.mean(new float[7], 2, 3)).getMessage());
    }
}
