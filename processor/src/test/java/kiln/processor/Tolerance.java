package kiln.processor;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise |actual - expected| <= abs + rel * |expected|, the manifest's tolerance form. */
final class Tolerance {
    private Tolerance() {}

    static void assertClose(String what, double[] expected, float[] actual, double abs, double rel) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (err > abs + rel * Math.abs(expected[i])) {
                fail(what + "[" + i + "]: expected " + expected[i] + " but got " + actual[i] + " (error " + err + ")");
            }
        }
    }

    static void assertClose(String what, double expected, double actual, double abs, double rel) {
        assertClose(what, new double[] {expected}, new float[] {(float) actual}, abs, rel);
    }
}
