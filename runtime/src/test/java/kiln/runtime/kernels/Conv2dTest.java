package kiln.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import kiln.dsl.Activation;
import kiln.runtime.parallel.WorkerPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The convolution kernel, both forms (shifted rows, im2col), with and without a fused max-pool,
 * and its transpose, against a direct double-precision loop over the definition.
 */
class Conv2dTest {
    /** cin, h, w, cout, k, stride, pad, shifted, threads */
    @ParameterizedTest
    @CsvSource({
        "1, 28, 28, 6, 5, 1, 2, true, 1", "1, 28, 28, 6, 5, 1, 2, false, 2", "6, 14, 14, 16, 5, 1, 0, true, 2",
        "6, 14, 14, 16, 5, 1, 0, false, 1", "2, 8, 8, 3, 3, 1, 1, true, 1", "3, 4, 4, 4, 3, 2, 1, false, 2",
        "3, 9, 7, 5, 3, 2, 0, false, 1", "2, 7, 7, 3, 2, 2, 1, false, 2", "5, 6, 5, 7, 1, 1, 0, true, 2",
        "4, 5, 6, 9, 3, 3, 2, false, 1"})
    void forwardBackwardAndTransposeMatchTheDefinition(int cin, int h, int w, int cout, int k, int stride, int pad,
                                                        boolean shifted, int threads) {
        int n = 3;
        SplittableRandom rnd = new SplittableRandom(cin * 1000 + h * 10 + k);
        try (WorkerPool pool = new WorkerPool(threads)) {
            Conv2d conv = new Conv2d(pool, cin, h, w, cout, k, stride, pad, 0, 0, shifted);
            int ho = (h + 2 * pad - k) / stride + 1, wo = (w + 2 * pad - k) / stride + 1;
            float[] x = random(rnd, n * cin * h * w), weight = random(rnd, cout * cin * k * k), bias = random(rnd, cout);
            float[] y = new float[n * cout * ho * wo];
            conv.forward(x, weight, bias, Activation.IDENTITY, y, null, n);
            double[] ref = reference(x, weight, bias, n, cin, h, w, cout, k, stride, pad);
            assertClose("forward", ref, y);

            // backward with identity: dZ = dy
            float[] dy = random(rnd, y.length), dW = new float[weight.length], dB = new float[cout];
            float[] dx = random(rnd, x.length), dx0 = dx.clone();
            conv.backward(x, weight, y, dy, null, Activation.IDENTITY, dW, dB, dx, true, n);
            double[][] g = referenceBackward(x, weight, dy, n, cin, h, w, cout, k, stride, pad);
            assertClose("weight gradient", g[0], dW);
            assertClose("bias gradient", g[1], dB);
            double[] dxExpected = g[2].clone();
            for (int i = 0; i < dx.length; i++) dxExpected[i] += dx0[i];
            assertClose("input gradient (accumulated)", dxExpected, dx);
            conv.backward(x, weight, y, dy, null, Activation.IDENTITY, dW, null, dx, false, n);
            assertClose("input gradient (overwritten)", g[2], dx);

            // transposed: input [n, cout, ho, wo] -> [n, cin, h, w] is the adjoint of the convolution
            float[] tx = random(rnd, n * cout * ho * wo), tBias = random(rnd, cin), ty = new float[x.length];
            conv.transposedForward(tx, weight, tBias, Activation.IDENTITY, ty, n);
            double[] tRef = referenceBackward(new float[x.length], weight, tx, n, cin, h, w, cout, k, stride, pad)[2];
            for (int i = 0; i < tRef.length; i++) tRef[i] += tBias[(i / (h * w)) % cin];
            assertClose("transposed forward", tRef, ty);
            float[] tdy = random(rnd, ty.length), tdx = new float[tx.length], tdW = new float[weight.length], tdB = new float[cin];
            conv.transposedBackward(tx, weight, ty, tdy, Activation.IDENTITY, tdW, tdB, tdx, false, n);
            // d(conv^T x)/dx = conv: dx = conv(dy) without bias; dW[co][ci][t] = sum x[co] * patch of dy[ci]
            assertClose("transposed input gradient", reference(tdy, weight, null, n, cin, h, w, cout, k, stride, pad), tdx);
            double[][] tg = referenceBackward(tdy, weight, tx, n, cin, h, w, cout, k, stride, pad);
            assertClose("transposed weight gradient", tg[0], tdW);
            double[] tdBExpected = new double[cin];
            for (int i = 0; i < tdy.length; i++) tdBExpected[(i / (h * w)) % cin] += tdy[i];
            assertClose("transposed bias gradient", tdBExpected, tdB);
        }
    }

    /**
     * Workers claim chunks of images as they go (a batch not divisible into equal chunks here);
     * each chunk's partial gradients are summed in chunk order, so every thread count agrees. Not
     * to the bit: a lane reduction gives different roundings interpreted and compiled, and one
     * worker may still run interpreted code while another runs compiled code.
     */
    @ParameterizedTest
    @CsvSource({"1, 28, 28, 6, 5, 1, 2, 2", "6, 14, 14, 16, 5, 1, 0, 2", "3, 9, 7, 5, 3, 2, 0, 0"})
    void everyThreadCountGivesTheSameResult(int cin, int h, int w, int cout, int k, int stride, int pad, int poolK) {
        int n = 37; // not a multiple of the chunk count: chunks of 2 and 3 images
        SplittableRandom rnd = new SplittableRandom(7);
        int ho = (h + 2 * pad - k) / stride + 1, wo = (w + 2 * pad - k) / stride + 1;
        int outSize = poolK == 0 ? cout * ho * wo : cout * (ho / poolK) * (wo / poolK);
        float[] x = random(rnd, n * cin * h * w), weight = random(rnd, cout * cin * k * k), bias = random(rnd, cout);
        float[] dy = random(rnd, n * outSize);
        float[][] first = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                Conv2d conv = new Conv2d(pool, cin, h, w, cout, k, stride, pad, poolK, poolK);
                float[] y = new float[n * outSize], dW = new float[weight.length], dB = new float[cout], dx = new float[x.length];
                int[] argmax = poolK == 0 ? null : new int[y.length];
                conv.forward(x, weight, bias, Activation.RELU, y, argmax, n);
                conv.backward(x, weight, y, dy, argmax, Activation.RELU, dW, dB, dx, false, n);
                float[][] got = {y, dW, dB, dx};
                if (first == null) { // 1 thread: the reference the others must match
                    first = got;
                    continue;
                }
                String[] names = {"output", "weight gradient", "bias gradient", "input gradient"};
                for (int i = 0; i < got.length; i++) assertClose(names[i] + " at " + threads + " threads", toDouble(first[i]), got[i]);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 28, 28, 6, 5, 1, 2, 2, 2, 2", "6, 14, 14, 16, 5, 1, 0, 2, 2, 1", "2, 8, 8, 3, 3, 1, 1, 3, 2, 2",
        "3, 9, 9, 4, 3, 2, 1, 2, 1, 1"})
    void fusedReluMaxPoolMatchesConvolutionThenPool(int cin, int h, int w, int cout, int k, int stride, int pad,
                                                    int poolK, int poolS, int threads) {
        int n = 2;
        SplittableRandom rnd = new SplittableRandom(h * 31 + poolK);
        try (WorkerPool pool = new WorkerPool(threads)) {
            Conv2d fused = new Conv2d(pool, cin, h, w, cout, k, stride, pad, poolK, poolS);
            int ho = (h + 2 * pad - k) / stride + 1, wo = (w + 2 * pad - k) / stride + 1;
            int ph = (ho - poolK) / poolS + 1, pw = (wo - poolK) / poolS + 1;
            float[] x = random(rnd, n * cin * h * w), weight = random(rnd, cout * cin * k * k), bias = random(rnd, cout);
            float[] y = new float[n * cout * ph * pw];
            int[] argmax = new int[y.length];
            fused.forward(x, weight, bias, Activation.RELU, y, argmax, n);

            double[] z = reference(x, weight, bias, n, cin, h, w, cout, k, stride, pad);
            float[] relu = new float[z.length];
            for (int i = 0; i < z.length; i++) relu[i] = (float) Math.max(z[i], 0);
            float[] pooled = new float[y.length];
            int[] where = new int[y.length];
            Pooling.maxForward(relu, pooled, where, n * cout, ho, wo, poolK, poolS);
            assertClose("pooled forward", toDouble(pooled), y);

            float[] dy = random(rnd, y.length), dW = new float[weight.length], dB = new float[cout], dx = new float[x.length];
            fused.backward(x, weight, y, dy, argmax, Activation.RELU, dW, dB, dx, false, n);
            float[] dRelu = new float[relu.length];
            Pooling.maxBackward(dy, where, dRelu, false, n * cout, ho, wo, poolK, poolS);
            for (int i = 0; i < dRelu.length; i++) if (relu[i] <= 0) dRelu[i] = 0f;
            double[][] g = referenceBackward(x, weight, dRelu, n, cin, h, w, cout, k, stride, pad);
            assertClose("weight gradient", g[0], dW);
            assertClose("bias gradient", g[1], dB);
            assertClose("input gradient", g[2], dx);
        }
    }

    static double[] reference(float[] x, float[] weight, float[] bias, int n, int cin, int h, int w, int cout, int k,
                              int stride, int pad) {
        int ho = (h + 2 * pad - k) / stride + 1, wo = (w + 2 * pad - k) / stride + 1;
        double[] y = new double[n * cout * ho * wo];
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < cout; co++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        double s = bias == null ? 0 : bias[co];
                        for (int ci = 0; ci < cin; ci++) {
                            for (int kh = 0; kh < k; kh++) {
                                for (int kw = 0; kw < k; kw++) {
                                    int iy = oy * stride + kh - pad, ix = ox * stride + kw - pad;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    s += (double) x[((b * cin + ci) * h + iy) * w + ix] * weight[((co * cin + ci) * k + kh) * k + kw];
                                }
                            }
                        }
                        y[((b * cout + co) * ho + oy) * wo + ox] = s;
                    }
                }
            }
        }
        return y;
    }

    /** {dW, dBias, dX} of the convolution for output gradient dz. */
    static double[][] referenceBackward(float[] x, float[] weight, float[] dz, int n, int cin, int h, int w, int cout, int k,
                                        int stride, int pad) {
        int ho = (h + 2 * pad - k) / stride + 1, wo = (w + 2 * pad - k) / stride + 1;
        double[] dW = new double[weight.length], dB = new double[cout], dX = new double[n * cin * h * w];
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < cout; co++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        double g = dz[((b * cout + co) * ho + oy) * wo + ox];
                        dB[co] += g;
                        for (int ci = 0; ci < cin; ci++) {
                            for (int kh = 0; kh < k; kh++) {
                                for (int kw = 0; kw < k; kw++) {
                                    int iy = oy * stride + kh - pad, ix = ox * stride + kw - pad;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    int xi = ((b * cin + ci) * h + iy) * w + ix, wi = ((co * cin + ci) * k + kh) * k + kw;
                                    dW[wi] += g * x[xi];
                                    dX[xi] += g * weight[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dW, dB, dX};
    }

    static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        return a;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static void assertClose(String what, double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 + 1e-4 * Math.abs(expected[i]), what + " [" + i + "]");
        }
    }
}
