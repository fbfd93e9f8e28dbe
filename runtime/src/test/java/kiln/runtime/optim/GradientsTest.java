package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import kiln.runtime.Param;
import org.junit.jupiter.api.Test;

class GradientsTest {
    private static Param param(String name, float... grad) {
        Param p = new Param(name, false, grad.length);
        System.arraycopy(grad, 0, p.grad, 0, grad.length);
        return p;
    }

    @Test
    void globalNormClipsLikeClipGradNorm() {
        // ||(3, 4)|| = 5 and ||(12)|| = 12 give a total norm of 13; max_norm 6.5 halves every gradient
        // (times 13 / (13 + 1e-6), PyTorch's epsilon).
        Param a = param("a", 3, 4), b = param("b", 12);
        double norm = Gradients.clipByGlobalNorm(new Param[] {a, b}, 6.5);
        assertEquals(13, norm, 1e-6);
        double c = 6.5 / (13 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * c), (float) (4 * c)}, a.grad, 1e-6f);
        assertArrayEquals(new float[] {(float) (12 * c)}, b.grad, 1e-6f);
    }

    @Test
    void normBelowTheLimitLeavesGradientsAlone() {
        Param a = param("a", 3, 4);
        assertEquals(5, Gradients.clipByGlobalNorm(new Param[] {a}, 10), 1e-6);
        assertArrayEquals(new float[] {3, 4}, a.grad);
    }

    @Test
    void longTensorsUseVectorBodyAndTail() {
        float[] g = new float[1001];
        java.util.Arrays.fill(g, 2f); // norm = 2 * sqrt(1001)
        Param a = param("a", g);
        double norm = Gradients.clipByGlobalNorm(new Param[] {a}, 1);
        assertEquals(2 * Math.sqrt(1001), norm, 1e-4);
        assertEquals(1, Gradients.globalNorm(new Param[] {a}), 1e-5);
    }

    @Test
    void clipByValueClampsEachElement() {
        float[] g = new float[37];
        for (int i = 0; i < g.length; i++) g[i] = (i - 18) * 0.1f;
        Param a = param("a", g);
        Gradients.clipByValue(new Param[] {a}, 0.5);
        for (int i = 0; i < g.length; i++) assertEquals(Math.max(-0.5f, Math.min(0.5f, (i - 18) * 0.1f)), a.grad[i], 0f);
    }

    @Test
    void nonFiniteGradientsAreFoundWherever() {
        Param a = param("a", new float[40]), b = param("b", new float[3]);
        Param[] both = {a, b};
        assertEquals(-1, Gradients.firstNonFiniteGradient(both));
        b.grad[2] = Float.POSITIVE_INFINITY; // the scalar tail of a short tensor
        assertEquals(1, Gradients.firstNonFiniteGradient(both));
        a.grad[5] = Float.NaN; // inside the vector body
        assertEquals(0, Gradients.firstNonFiniteGradient(both));
        assertEquals(Float.NaN, Gradients.firstNonFinite(a.grad));
        assertEquals(-1, Gradients.firstNonFiniteValue(both));
        assertEquals(Double.NaN, Gradients.globalNorm(both));
    }
}
