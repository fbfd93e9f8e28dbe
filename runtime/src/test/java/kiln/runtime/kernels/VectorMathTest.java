package kiln.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * VectorMath against the JDK's scalar functions, and the property it exists for: the same bits
 * from its first (interpreted) calls as once C2 has compiled it.
 */
class VectorMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static float[] inputs() {
        Random r = new Random(3);
        float[] x = new float[S.length() * 512];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 30 : 3));
        x[0] = 0f;
        x[1] = -100f;
        x[2] = 100f;
        x[3] = 1e-6f;
        x[4] = -0.6f;
        return x;
    }

    /** exp, tanh and sigmoid of every input, then the sum of the inputs' lanes, in one array. */
    private static float[] compute(float[] x) {
        float[] out = new float[3 * x.length + x.length / S.length()];
        for (int i = 0; i < x.length; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMath.exp(v).intoArray(out, i);
            VectorMath.tanh(v).intoArray(out, x.length + i);
            VectorMath.sigmoid(v).intoArray(out, 2 * x.length + i);
            out[3 * x.length + i / S.length()] = VectorMath.sum(v);
        }
        return out;
    }

    @Test
    void matchesTheScalarFunctionsWithinAFewUlp() {
        float[] x = inputs(), out = compute(x);
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[i]);
            if (x[i] >= -87.3 && x[i] <= 88) {
                assertEquals(e, out[i], 3 * Math.ulp((float) e), "exp(" + x[i] + ")");
            }
            double t = Math.tanh(x[i]);
            assertEquals(t, out[n + i], Math.max(4 * Math.ulp((float) t), 1e-7), "tanh(" + x[i] + ")");
            double s = 1 / (1 + Math.exp(-x[i]));
            assertEquals(s, out[2 * n + i], Math.max(4 * Math.ulp((float) s), 1e-7), "sigmoid(" + x[i] + ")");
        }
        assertEquals(0f, out[1], "exp below the normal range is 0");
        assertTrue(Float.isFinite(out[2]), "exp above 88 stays finite");
    }

    @Test
    void givesTheSameBitsInterpretedAndCompiled() {
        float[] x = inputs();
        float[] first = compute(x);
        for (int k = 0; k < 3000; k++) compute(x); // long enough for C2
        float[] later = compute(x);
        for (int i = 0; i < first.length; i++) {
            assertEquals(Float.floatToRawIntBits(first[i]), Float.floatToRawIntBits(later[i]), "element " + i);
        }
    }
}
