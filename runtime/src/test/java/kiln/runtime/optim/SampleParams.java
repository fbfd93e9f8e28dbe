package kiln.runtime.optim;

import java.util.ArrayList;
import java.util.List;
import kiln.runtime.Param;

/**
 * Small parameters and fixed gradient sequences for the optimizer tests. Sizes 3, 16, 37 and 70
 * exercise both the vector body and the scalar tail whatever the vector width (4 to 16 floats).
 */
final class SampleParams {
    private SampleParams() {}

    static final int[] SIZES = {3, 16, 37, 70};

    /** Hand-picked values and gradients (3 steps) for the first, size-3 tensor. */
    private static final float[] BIAS_START = {0.8f, -1.25f, 1.0f};
    private static final float[][] BIAS_GRADS = {
            {0.25f, -0.5f, 0f},
            {-0.125f, 0.3f, 0.0625f},
            {0.2f, 0.1f, -0.4f},
    };

    /** Fresh parameters, values set; magnitudes stay >= 0.75 so relative comparisons stay meaningful. */
    static List<Param> create() {
        List<Param> params = new ArrayList<>();
        for (int k = 0; k < SIZES.length; k++) {
            Param p = new Param("p" + k, k == 0, SIZES[k]);
            for (int i = 0; i < p.size(); i++) p.value[i] = startValue(k, i);
            params.add(p);
        }
        return params;
    }

    private static float startValue(int k, int i) {
        if (k == 0) return BIAS_START[i];
        float magnitude = 0.75f + 0.5f * ((i * 7 + k) % 13) / 13f;
        return i % 2 == 0 ? magnitude : -magnitude;
    }

    /** Gradient of element i of tensor k at step t (0-based); mixed signs, |g| <= 0.5, some exact zeros. */
    static float grad(int k, int i, int t) {
        if (k == 0 && t < BIAS_GRADS.length) return BIAS_GRADS[t][i];
        if ((i + t) % 9 == 0) return 0f;
        return (float) (0.3 * Math.sin(0.37 * i + 1.3 * t + k));
    }

    /** Writes step t's gradients into every {@code Param.grad}. */
    static void setGrads(List<Param> params, int t) {
        for (int k = 0; k < params.size(); k++) {
            float[] g = params.get(k).grad;
            for (int i = 0; i < g.length; i++) g[i] = grad(k, i, t);
        }
    }

    static double[][] valuesAsDouble(List<Param> params) {
        double[][] out = new double[params.size()][];
        for (int k = 0; k < params.size(); k++) {
            float[] v = params.get(k).value;
            out[k] = new double[v.length];
            for (int i = 0; i < v.length; i++) out[k][i] = v[i];
        }
        return out;
    }
}
