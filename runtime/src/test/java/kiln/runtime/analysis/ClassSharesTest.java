package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClassSharesTest {
    @Test
    void talliesArgMaxesAndTheMeanTopProbability() {
        float[] p = {
            0.7f, 0.2f, 0.1f,
            0.1f, 0.8f, 0.1f,
            0.3f, 0.3f, 0.4f,
            0.6f, 0.3f, 0.1f,
        };
        ClassShares shares = ClassShares.of(p, 4, 3);
        assertArrayEquals(new int[] {2, 1, 1}, shares.counts());
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, shares.shares(), 0);
        assertEquals(4, shares.total());
        assertEquals(3, shares.classes());
        assertEquals((0.7 + 0.8 + 0.4 + 0.6) / 4, shares.meanTopProbability(), 1e-7);
        assertEquals(-(0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25)), shares.entropy(), 1e-15);
        assertEquals("shares 0:50.0% 1:25.0% 2:25.0%  mean top probability 0.63  entropy 1.04 of 1.10 nats", shares.toString());
    }

    @Test
    void tiesGoToTheFirstClassAndEntropyIsZeroWhenOneClassTakesAll() {
        ClassShares shares = ClassShares.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 2, 2);
        assertArrayEquals(new int[] {2, 0}, shares.counts());
        assertEquals(0, shares.entropy(), 0);
    }

    @Test
    void evenSharesHaveTheLargestEntropy() {
        int classes = 10;
        float[] p = new float[classes * classes];
        for (int r = 0; r < classes; r++) p[r * classes + r] = 1;
        ClassShares shares = ClassShares.of(p, classes, classes);
        assertEquals(Math.log(classes), shares.entropy(), 1e-15);
        assertEquals(1, shares.meanTopProbability(), 0);
        assertEquals("shares 0:10.0% 1:10.0% 2:10.0% 3:10.0% 4:10.0% 5:10.0% 6:10.0% 7:10.0% 8:10.0% 9:10.0%"
                + "  mean top probability 1.00  entropy 2.30 of 2.30 nats", shares.toString());
    }

    @Test
    void rejectsNaNAndMisshapenInputWithOneLine() {
        assertEquals("probabilities: row 1 holds NaN at class 0", assertThrows(IllegalArgumentException.class,
                () -> ClassShares.of(new float[] {1, 0, Float.NaN, 1}, 2, 2)).getMessage());
        assertEquals("probabilities: 2 rows of 3 need 6 floats, got 5", assertThrows(IllegalArgumentException.class,
                () -> ClassShares.of(new float[5], 2, 3)).getMessage());
    }
}
