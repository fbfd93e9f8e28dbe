package kiln.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pooling of image planes, for pools that are not fused into the convolution before them. A
 * batch of NCHW images is {@code planes = n C} planes of h x w; windows of k x k move by stride s,
 * no padding, so a plane pools to {@code ho = (h - k) / s + 1} by {@code wo = (w - k) / s + 1}.
 * Single-threaded: these passes move little data next to the convolutions around them.
 */
public final class Pooling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Pooling() {}

    /** y [planes, ho, wo] = window maxima of x [planes, h, w]; argmax = the winner's index r w + c in its plane. */
    public static void maxForward(float[] x, float[] y, int[] argmax, int planes, int h, int w, int k, int s) {
        int ho = (h - k) / s + 1, wo = (w - k) / s + 1;
        for (int p = 0; p < planes; p++) {
            int in = p * h * w, out = p * ho * wo;
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    int first = oy * s * w + ox * s, best = first;
                    float m = x[in + first];
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int at = first + i * w + j;
                            if (x[in + at] > m) {
                                m = x[in + at];
                                best = at;
                            }
                        }
                    }
                    y[out + oy * wo + ox] = m;
                    argmax[out + oy * wo + ox] = best;
                }
            }
        }
    }

    /** dx [planes, h, w] (+)= dy [planes, ho, wo] routed to each window's arg-max. */
    public static void maxBackward(float[] dy, int[] argmax, float[] dx, boolean accumulate, int planes, int h, int w,
                                   int k, int s) {
        int ho = (h - k) / s + 1, wo = (w - k) / s + 1;
        if (!accumulate) Arrays.fill(dx, 0, planes * h * w, 0f);
        for (int p = 0; p < planes; p++) {
            int in = p * h * w, out = p * ho * wo;
            for (int q = 0; q < ho * wo; q++) dx[in + argmax[out + q]] += dy[out + q];
        }
    }

    /** y [planes, ho, wo] = window means of x [planes, h, w]. */
    public static void avgForward(float[] x, float[] y, int planes, int h, int w, int k, int s) {
        int ho = (h - k) / s + 1, wo = (w - k) / s + 1;
        float scale = 1f / (k * k);
        for (int p = 0; p < planes; p++) {
            int in = p * h * w, out = p * ho * wo;
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    int first = in + oy * s * w + ox * s;
                    float sum = 0f;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) sum += x[first + i * w + j];
                    }
                    y[out + oy * wo + ox] = sum * scale;
                }
            }
        }
    }

    /** dx [planes, h, w] (+)= each dy [planes, ho, wo] spread evenly over its window. */
    public static void avgBackward(float[] dy, float[] dx, boolean accumulate, int planes, int h, int w, int k, int s) {
        int ho = (h - k) / s + 1, wo = (w - k) / s + 1;
        float scale = 1f / (k * k);
        if (!accumulate) Arrays.fill(dx, 0, planes * h * w, 0f);
        for (int p = 0; p < planes; p++) {
            int in = p * h * w, out = p * ho * wo;
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    int first = in + oy * s * w + ox * s;
                    float g = dy[out + oy * wo + ox] * scale;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) dx[first + i * w + j] += g;
                    }
                }
            }
        }
    }

    /** y [planes] = the mean of each plane of x [planes, hw]. */
    public static void globalAverage(float[] x, float[] y, int planes, int hw) {
        float scale = 1f / hw;
        for (int p = 0; p < planes; p++) {
            int base = p * hw, i = 0;
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(hw); i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, x, base + i));
            float sum = VectorMath.sum(acc);
            for (; i < hw; i++) sum += x[base + i];
            y[p] = sum * scale;
        }
    }

    /** dx [planes, hw] (+)= dy [planes] / hw on every position of its plane. */
    public static void globalAverageBackward(float[] dy, float[] dx, boolean accumulate, int planes, int hw) {
        float scale = 1f / hw;
        for (int p = 0; p < planes; p++) {
            int base = p * hw, i = 0;
            float g = dy[p] * scale;
            for (int bound = S.loopBound(hw); i < bound; i += L) {
                FloatVector v = FloatVector.broadcast(S, g);
                if (accumulate) v = v.add(FloatVector.fromArray(S, dx, base + i));
                v.intoArray(dx, base + i);
            }
            for (; i < hw; i++) dx[base + i] = accumulate ? dx[base + i] + g : g;
        }
    }
}
