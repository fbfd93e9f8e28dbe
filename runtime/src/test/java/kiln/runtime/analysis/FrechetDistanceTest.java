package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
    @Test
    void identicalSetsAreAtDistanceZero() {
        int n = 500, d = 16;
        float[] x = correlatedRows(n, d, new Random(1));
        FrechetDistance fd = FrechetDistance.of(x, n, x.clone(), n, d);
        assertEquals(0, fd.meanTerm(), 0);
        assertEquals(0, fd.covarianceTerm(), 1e-10 * GaussianFit.of(x, n, d).totalVariance());
    }

    @Test
    void aShiftOfTheMeanCostsItsSquaredLength() {
        int n = 400, d = 3;
        Random random = new Random(2);
        float[] x = new float[n * d], shifted = new float[n * d];
        float[] shift = {1, -2, 0.5f};
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(64) / 4f - 8; // a grid of quarters, so x + shift is exact in float
            shifted[i] = x[i] + shift[i % d];
        }
        FrechetDistance fd = FrechetDistance.of(x, n, shifted, n, d);
        assertEquals(1 + 4 + 0.25, fd.meanTerm(), 1e-12);
        assertEquals(0, fd.covarianceTerm(), 1e-10);
        assertEquals(5.25, fd.value(), 1e-10);
    }

    @Test
    void oneDimensionalGaussiansGiveTheSquaredDifferencesOfMeansAndDeviations() {
        Random random = new Random(3);
        int n1 = 300, n2 = 700;
        float[] a = new float[n1], b = new float[n2];
        for (int i = 0; i < n1; i++) a[i] = (float) (1 + 2 * random.nextGaussian());
        for (int i = 0; i < n2; i++) b[i] = (float) (-3 + 0.5 * random.nextGaussian());
        double m1 = mean(a), m2 = mean(b), s1 = Math.sqrt(variance(a, m1)), s2 = Math.sqrt(variance(b, m2));
        FrechetDistance fd = FrechetDistance.of(a, n1, b, n2, 1);
        assertEquals((m1 - m2) * (m1 - m2), fd.meanTerm(), 1e-12);
        assertEquals((s1 - s2) * (s1 - s2), fd.covarianceTerm(), 1e-12);
    }

    @Test
    void twoByTwoCasesByHand() {
        // Commuting: S1 = diag(4, 9), S2 = I: (S1 S2)^1/2 = diag(2, 3); means one apart in each axis.
        FrechetDistance diagonal = FrechetDistance.between(
                new GaussianFit(new double[] {1, 1}, new double[] {4, 0, 0, 9}, 10),
                new GaussianFit(new double[] {0, 0}, new double[] {1, 0, 0, 1}, 10));
        assertEquals(2, diagonal.meanTerm(), 0);
        assertEquals(4 + 9 + 2 - 2 * (2 + 3), diagonal.covarianceTerm(), 1e-13);
        assertEquals(7, diagonal.value(), 1e-13);

        // Not commuting: S1 = [[2, 1], [1, 2]], S2 = diag(1, 4). For 2 x 2 with positive eigenvalues,
        // Tr M^1/2 = sqrt(Tr M + 2 sqrt(det M)); Tr(S1 S2) = 2 + 8 = 10, det = 3 * 4 = 12.
        FrechetDistance general = FrechetDistance.between(
                new GaussianFit(new double[] {0, 0}, new double[] {2, 1, 1, 2}, 10),
                new GaussianFit(new double[] {0, 0}, new double[] {1, 0, 0, 4}, 10));
        assertEquals(4 + 5 - 2 * Math.sqrt(10 + 2 * Math.sqrt(12)), general.covarianceTerm(), 1e-13);
    }

    @Test
    void symmetricInItsTwoArguments() {
        int d = 12;
        float[] a = correlatedRows(200, d, new Random(4)), b = correlatedRows(300, d, new Random(5));
        for (int i = 0; i < b.length; i++) b[i] = b[i] * 1.5f + 0.25f;
        double ab = FrechetDistance.of(a, 200, b, 300, d).value(), ba = FrechetDistance.of(b, 300, a, 200, d).value();
        assertEquals(ab, ba, 1e-10 * ab);
        assertTrue(ab > 1, "clearly different sets: " + ab);
    }

    @Test
    void singularCovariancesFromFewerRowsThanFeaturesStayFinite() {
        int d = 10;
        float[] a = correlatedRows(4, d, new Random(6)), b = correlatedRows(5, d, new Random(7));
        FrechetDistance fd = FrechetDistance.of(a, 4, b, 5, d);
        assertTrue(Double.isFinite(fd.value()) && fd.covarianceTerm() >= 0, fd.toString());
        assertEquals(0, FrechetDistance.of(a, 4, a, 4, d).covarianceTerm(), 1e-9);
    }

    @Test
    void rejectsMismatchedInputWithOneLine() {
        assertEquals("cannot compare a 2-dimensional Gaussian with a 1-dimensional one",
                assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(
                        new GaussianFit(new double[2], new double[4], 2), new GaussianFit(new double[1], new double[1], 2))).getMessage());
        assertEquals("second: 3 rows of 2 need 6 floats, got 4",
                assertThrows(IllegalArgumentException.class, () -> FrechetDistance.of(new float[4], 2, new float[4], 3, 2)).getMessage());
    }

    @Test
    void describesItsTerms() {
        assertEquals("Frechet distance 3.50000 (means 1.00000, covariances 2.50000)", new FrechetDistance(1, 2.5).toString());
    }

    /** Rows with correlated features: Gaussian noise times a fixed random mixing matrix. */
    static float[] correlatedRows(int n, int d, Random random) {
        double[] mix = new double[d * d];
        for (int i = 0; i < mix.length; i++) mix[i] = random.nextGaussian();
        float[] x = new float[n * d];
        double[] z = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) z[j] = random.nextGaussian();
            for (int j = 0; j < d; j++) x[r * d + j] = (float) TestMatrices.dot(mix, j * d, z, 0, d);
        }
        return x;
    }

    private static double mean(float[] x) {
        double s = 0;
        for (float v : x) s += v;
        return s / x.length;
    }

    private static double variance(float[] x, double mean) {
        double s = 0;
        for (float v : x) s += (v - mean) * (v - mean);
        return s / (x.length - 1);
    }
}
