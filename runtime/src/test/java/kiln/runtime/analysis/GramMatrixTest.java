package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GramMatrixTest {
    @ParameterizedTest(name = "n = {0}, d = {1}")
    @CsvSource({"1, 1", "1, 5", "3, 1", "7, 3", "130, 17", "300, 37", "257, 64", "129, 100"})
    void matchesTheDefinitionEntryByEntry(int n, int d) {
        float[] x = randomRows(n, d, new Random(n * 31L + d));
        double[] g = GramMatrix.of(x, n, d);
        assertArrayEquals(naive(x, n, d, new double[d]), g, 1e-12 * n);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) assertEquals(g[i * d + j], g[j * d + i], 0, "symmetric at " + i + ", " + j);
        }
    }

    @Test
    void centeredSubtractsTheCentreFromEveryRowInDouble() {
        int n = 200, d = 21;
        float[] x = randomRows(n, d, new Random(1));
        for (int i = 0; i < x.length; i++) x[i] += 1000; // a large offset: X^T X - n c c^T would cancel
        double[] c = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) c[j] += x[i * d + j] / (double) n;
        assertArrayEquals(naive(x, n, d, c), GramMatrix.centered(x, n, d, c), 1e-9);
    }

    @Test
    void resultDoesNotDependOnTheNumberOfThreads() {
        int n = 5000, d = 83; // several slots, and n d^2 / 2 over PARALLEL_MIN_FMAS, so the workers really run
        assertTrue((long) n * d * d / 2 >= GramMatrix.PARALLEL_MIN_FMAS && GramMatrix.slots(n, 96) > 2);
        float[] x = randomRows(n, d, new Random(7));
        double[] c = new double[d];
        Arrays.fill(c, 0.25);
        assertArrayEquals(GramMatrix.compute(x, n, d, c, 1), GramMatrix.compute(x, n, d, c, 2), 0);
        assertArrayEquals(GramMatrix.compute(x, n, d, null, 1), GramMatrix.compute(x, n, d, null, 3), 0);
        assertArrayEquals(naive(x, n, d, c), GramMatrix.compute(x, n, d, c, 2), 1e-10 * n);
    }

    @Test
    void slotsDependOnTheShapeOnlyAndBoundTheMemory() {
        assertEquals(8, GramMatrix.slots(60_000, 784)); // 8 x 4.9 MB of partials
        assertEquals(2, GramMatrix.slots(60_000, 4096)); // 134 MB each: no more than two
        assertEquals(1, GramMatrix.slots(GramMatrix.KC, 16)); // one block of rows
        assertEquals(3, GramMatrix.slots(3 * GramMatrix.KC, 16));
    }

    @Test
    void rejectsBadShapesWithOneLine() {
        assertEquals("rows: 2 rows of 3 need 6 floats, got 5",
                assertThrows(IllegalArgumentException.class, () -> GramMatrix.of(new float[5], 2, 3)).getMessage());
        assertEquals("rows: need >= 1 rows, got 0",
                assertThrows(IllegalArgumentException.class, () -> GramMatrix.of(new float[0], 0, 3)).getMessage());
        assertEquals("rows: need >= 1 columns, got 0",
                assertThrows(IllegalArgumentException.class, () -> GramMatrix.of(new float[0], 2, 0)).getMessage());
        assertEquals("center has 2 values for 3 columns",
                assertThrows(IllegalArgumentException.class, () -> GramMatrix.centered(new float[6], 2, 3, new double[2])).getMessage());
    }

    static float[] randomRows(int n, int d, Random random) {
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        return x;
    }

    static double[] naive(float[] x, int n, int d, double[] c) {
        double[] g = new double[d * d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) g[i * d + j] += (x[r * d + i] - c[i]) * (x[r * d + j] - c[j]);
            }
        }
        return g;
    }
}
