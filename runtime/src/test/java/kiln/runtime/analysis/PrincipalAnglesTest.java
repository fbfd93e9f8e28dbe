package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrincipalAnglesTest {
    @Test
    void twoPlanesTiltedByKnownAngles() {
        double a = 0.3, b = 1.1; // e1 tilted towards e3 by a, e2 towards e4 by b
        double[] plane = {1, 0, 0, 0, 0, 1, 0, 0};
        double[] tilted = {Math.cos(a), 0, Math.sin(a), 0, 0, Math.cos(b), 0, Math.sin(b)};
        double[] cosines = PrincipalAngles.cosines(plane, 2, tilted, 2, 4);
        assertArrayEquals(new double[] {Math.cos(a), Math.cos(b)}, cosines, 1e-15);
        assertArrayEquals(new double[] {Math.toDegrees(a), Math.toDegrees(b)}, PrincipalAngles.degrees(cosines), 1e-12);
    }

    @Test
    void aSpanDoesNotDependOnWhichBasisGivesIt() {
        int d = 30, k = 5;
        Random random = new Random(1);
        double[] q = TestMatrices.orthonormalRows(k, d, random);
        double[] mix = new double[k * k];
        for (int i = 0; i < mix.length; i++) mix[i] = random.nextGaussian();
        double[] mixed = TestMatrices.multiply(mix, q, k, k, d); // an invertible mix of the same rows
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, PrincipalAngles.cosines(q, k, mixed, k, d), 1e-12);
    }

    @Test
    void orthogonalSubspacesHaveCosinesZeroAndALineInAPlaneHasOne() {
        double[] xy = {1, 0, 0, 0, 1, 0};
        assertArrayEquals(new double[] {0}, PrincipalAngles.cosines(xy, 2, new double[] {0, 0, 2}, 1, 3), 1e-15);
        assertArrayEquals(new double[] {1}, PrincipalAngles.cosines(xy, 2, new double[] {3, -4, 0}, 1, 3), 1e-15);
        assertArrayEquals(new double[] {1}, PrincipalAngles.cosines(new double[] {3, -4, 0}, 1, xy, 2, 3), 1e-15);
    }

    @Test
    void orthonormalizationKeepsTheSpanInOrder() {
        double[] v = {3, 4, 0, 1, 1, 1};
        double[] q = Orthonormalization.rows(v, 2, 3);
        assertArrayEquals(new double[] {0.6, 0.8, 0}, Arrays.copyOf(q, 3), 1e-15);
        assertEquals(0, TestMatrices.dot(q, 0, q, 3, 3), 1e-15);
        assertEquals(1, TestMatrices.dot(q, 3, q, 3, 3), 1e-15);
        // Nearly dependent rows still come out orthonormal.
        double[] close = {1, 0, 0, 1, 1e-7, 0};
        double[] r = Orthonormalization.rows(close, 2, 3);
        assertEquals(0, TestMatrices.dot(r, 0, r, 3, 3), 1e-15);
        assertArrayEquals(new double[] {0, 1, 0}, Arrays.copyOfRange(r, 3, 6), 1e-8);
    }

    @Test
    void rejectsDependentOrMisshapenVectorsWithOneLine() {
        assertEquals("vector 2 lies in the span of the vectors before it", assertThrows(IllegalArgumentException.class,
                () -> Orthonormalization.rows(new double[] {1, 0, 0, 0, 1, 0, 1, 1, 0}, 3, 3)).getMessage());
        assertEquals("vector 1 is zero", assertThrows(IllegalArgumentException.class,
                () -> Orthonormalization.rows(new double[] {1, 0, 0, 0}, 2, 2)).getMessage());
        assertEquals("3 vectors in R^2 cannot be independent", assertThrows(IllegalArgumentException.class,
                () -> Orthonormalization.rows(new double[6], 3, 2)).getMessage());
        assertEquals("2 vectors of length 3 need 6 values, got 5", assertThrows(IllegalArgumentException.class,
                () -> PrincipalAngles.cosines(new double[5], 2, new double[6], 2, 3)).getMessage());
        assertEquals("vector 0 holds a NaN or infinite value", assertThrows(IllegalArgumentException.class,
                () -> Orthonormalization.rows(new double[] {Double.NaN, 1}, 1, 2)).getMessage());
    }
}
