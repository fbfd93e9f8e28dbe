package kiln.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import kiln.runtime.parallel.WorkerPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** nt, nn and tn against a naive double-precision reference, on pools of 1, 2 and 3 threads. */
class GemmTest {
    private static WorkerPool pool1, pool2, pool3;
    private static Gemm gemm1, gemm2, gemm3;

    @BeforeAll
    static void startPools() {
        pool1 = new WorkerPool(1);
        pool2 = new WorkerPool(2);
        pool3 = new WorkerPool(3); // more pieces than cores, uneven splits
        gemm1 = new Gemm(pool1);
        gemm2 = new Gemm(pool2);
        gemm3 = new Gemm(pool3);
    }

    @AfterAll
    static void stopPools() {
        pool1.close();
        pool2.close();
        pool3.close();
    }

    /**
     * Shapes around every edge: 1, sizes below / at / above the register block (4 x 16 on AVX2),
     * non-multiples of the vector length, k split into several blocks (over 256 for wide
     * products, over 1024 for narrow ones), nt's transposed and direct tiles, and the
     * MNIST MLP layers; m of at most 4 (batch-1 inference) takes the dot-product path.
     */
    static Stream<Arguments> shapes() {
        int[][] shapes = {
            {1, 1, 1}, {5, 4, 3}, {1, 17, 9}, {17, 1, 9}, {3, 5, 1}, {4, 16, 8}, {7, 33, 13},
            {33, 7, 13}, {13, 31, 100}, {31, 13, 100}, {64, 10, 128}, {64, 128, 256}, {20, 40, 800},
            {70, 9, 385}, {9, 70, 385}, {130, 300, 70}, {300, 130, 70}, {10, 300, 600}, {300, 10, 600},
            {5, 9, 1500}, {9, 5, 1500}, {300, 260, 300}, {64, 256, 784}, {256, 784, 64}, {1, 256, 784}, {3, 130, 70}, {2, 10, 128},
        };
        List<Arguments> args = new ArrayList<>();
        for (int[] s : shapes) args.add(Arguments.of(s[0], s[1], s[2]));
        return args.stream();
    }

    @Test
    void shapesExerciseNtBothWaysRound() {
        long transposed = 0, direct = 0;
        for (Arguments shape : shapes().toList()) {
            int m = (int) shape.get()[0], n = (int) shape.get()[1], k = (int) shape.get()[2];
            if (m <= RowDots.MAX_ROWS) continue; // dot products, neither way round
            if (Gemm.writesTransposed(m, n, k)) transposed++;
            else direct++;
        }
        assertTrue(transposed >= 3 && direct >= 3, "nt shapes transposed: " + transposed + ", direct: " + direct);
    }

    /** The ways round measured fastest on the benchmark models' layers (Gemm.writesTransposed). */
    @Test
    void ntGoesTheMeasuredWayRound() {
        assertTrue(Gemm.writesTransposed(64, 256, 784), "mlp fc1");
        assertTrue(Gemm.writesTransposed(32, 1024, 256), "LSTM step");
        assertFalse(Gemm.writesTransposed(64, 128, 256), "mlp fc2");
        assertFalse(Gemm.writesTransposed(64, 84, 120), "LeNet fc2");
        assertFalse(Gemm.writesTransposed(65, 1024, 64), "charlstm token table");
    }

    @ParameterizedTest(name = "nt m={0} n={1} k={2}")
    @MethodSource("shapes")
    void ntMatchesReferenceForEveryEpilogue(int m, int n, int k) {
        Random rnd = new Random(31L * m + 7L * n + k);
        int aOff = 3, bOff = 5, cOff = 7;
        float[] a = random(rnd, aOff + m * k), b = random(rnd, bOff + n * k), bias = random(rnd, n);
        for (Epilogue ep : Epilogue.values()) {
            double[] want = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += (double) a[aOff + i * k + p] * b[bOff + j * k + p];
                    want[i * n + j] = activate(ep, ep == Epilogue.NONE ? s : s + bias[j]);
                }
            }
            for (Gemm gemm : new Gemm[] {gemm1, gemm2, gemm3}) {
                float[] c = random(rnd, cOff + m * n + 2); // garbage must be overwritten; the tail untouched
                float[] tail = {c[cOff + m * n], c[cOff + m * n + 1]};
                gemm.nt(a, aOff, b, bOff, ep == Epilogue.NONE ? null : bias, c, cOff, m, n, k, ep);
                assertClose(want, c, cOff, k, "nt " + ep);
                assertEquals(tail[0], c[cOff + m * n]);
                assertEquals(tail[1], c[cOff + m * n + 1]);
            }
        }
    }

    @ParameterizedTest(name = "nn m={0} n={1} k={2}")
    @MethodSource("shapes")
    void nnMatchesReference(int m, int n, int k) {
        Random rnd = new Random(17L * m + 5L * n + k);
        int aOff = 1, bOff = 2, cOff = 9;
        float[] a = random(rnd, aOff + m * k), b = random(rnd, bOff + k * n);
        float[] c0 = random(rnd, cOff + m * n);
        double[] product = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[aOff + i * k + p] * b[bOff + p * n + j];
                product[i * n + j] = s;
            }
        }
        checkBothModes(product, c0, cOff, k, "nn", (gemm, c, acc) -> gemm.nn(a, aOff, b, bOff, c, cOff, m, n, k, acc));
    }

    @ParameterizedTest(name = "tn m={0} n={1} k={2}")
    @MethodSource("shapes")
    void tnMatchesReference(int m, int n, int k) {
        Random rnd = new Random(13L * m + 3L * n + k);
        int aOff = 4, bOff = 0, cOff = 1;
        float[] a = random(rnd, aOff + k * m), b = random(rnd, bOff + k * n);
        float[] c0 = random(rnd, cOff + m * n);
        double[] product = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[aOff + p * m + i] * b[bOff + p * n + j];
                product[i * n + j] = s;
            }
        }
        checkBothModes(product, c0, cOff, k, "tn", (gemm, c, acc) -> gemm.tn(a, aOff, b, bOff, c, cOff, m, n, k, acc));
    }

    @Test
    void emptySumGivesTheEpilogueOfZeroOrLeavesCAlone() {
        float[] bias = {1f, -2f, 3f};
        float[] c = new float[6];
        gemm1.nt(new float[0], 0, new float[0], 0, bias, c, 0, 2, 3, 0, Epilogue.BIAS_RELU);
        assertEquals(List.of(1f, 0f, 3f, 1f, 0f, 3f), boxed(c));
        float[] d = {1f, 2f, 3f, 4f};
        gemm2.nn(new float[0], 0, new float[0], 0, d, 0, 2, 2, 0, true);
        assertEquals(List.of(1f, 2f, 3f, 4f), boxed(d));
        gemm2.tn(new float[0], 0, new float[0], 0, d, 0, 2, 2, 0, false);
        assertEquals(List.of(0f, 0f, 0f, 0f), boxed(d));
    }

    @Test
    void sigmoidAndTanhSaturateWithoutNaN() {
        float[] a = {100f, -100f}; // A[2,1]
        float[] b = {1f};          // B[1,1]
        float[] c = new float[2];
        gemm1.nt(a, 0, b, 0, new float[] {0f}, c, 0, 2, 1, 1, Epilogue.BIAS_SIGMOID);
        assertEquals(List.of(1f, 0f), boxed(c));
        gemm1.nt(a, 0, b, 0, new float[] {0f}, c, 0, 2, 1, 1, Epilogue.BIAS_TANH);
        assertEquals(List.of(1f, -1f), boxed(c));
    }

    @Test
    void rejectsArraysTooSmallForTheShape() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        assertThrows(IndexOutOfBoundsException.class, () -> gemm1.nn(a, 1, b, 0, c, 0, 2, 2, 3, false));
        assertThrows(IndexOutOfBoundsException.class, () -> gemm1.tn(a, 0, b, 0, c, 1, 2, 2, 3, false));
        assertThrows(NullPointerException.class, () -> gemm1.nt(a, 0, b, 0, null, c, 0, 2, 2, 3, Epilogue.BIAS));
        assertThrows(IllegalArgumentException.class, () -> gemm1.nn(a, 0, b, 0, c, 0, -1, 2, 3, false));
    }

    /**
     * After warm-up, calls allocate nothing on the calling thread, for every path: nt both ways
     * round (see Gemm.writesTransposed) with every epilogue, edge tiles, k split in blocks,
     * accumulate, and a product large enough to go through the 2-thread pool.
     */
    @Test
    void callsAllocateNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Random rnd = new Random(5);
        float[] a = random(rnd, 64 * 1100), b = random(rnd, 128 * 1100), bias = random(rnd, 128), c = new float[128 * 128];
        Epilogue[] eps = Epilogue.values();
        Gemm[] gemms = {gemm1, gemm2};
        Runnable calls = () -> { // 30 calls
            for (Gemm gemm : gemms) {
                for (Epilogue ep : eps) {
                    gemm.nt(a, 1, b, 2, bias, c, 3, 20, 37, 300, ep); // transposed tiles
                    gemm.nt(a, 1, b, 2, bias, c, 3, 37, 20, 70, ep);  // m > n, edge tiles
                }
                gemm.nt(a, 0, b, 0, bias, c, 0, 8, 32, 1100, Epilogue.BIAS_TANH); // several k blocks
                gemm.nn(a, 0, b, 0, c, 0, 33, 50, 70, true);
                gemm.tn(a, 0, b, 0, c, 0, 33, 50, 70, false);
                gemm.nn(a, 0, b, 0, c, 0, 64, 128, 64, false);  // over the parallel threshold
                gemm.tn(a, 0, b, 0, c, 0, 64, 128, 64, true);
            }
        };
        for (int i = 0; i < 3000; i++) calls.run(); // until the JIT has compiled and scalarised the vector code
        long overhead = -threads.getCurrentThreadAllocatedBytes() + threads.getCurrentThreadAllocatedBytes();
        long control = threads.getCurrentThreadAllocatedBytes();
        float[] sink = new float[1000];
        assertTrue(threads.getCurrentThreadAllocatedBytes() - control >= 4000 && sink.length == 1000,
                "the allocation counter must see a 4 KB array, or this test proves nothing");
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5 && best > 0; round++) { // a late recompilation can box a few vectors once
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 34; i++) calls.run(); // 1020 calls
            best = Math.min(best, Math.max(0, threads.getCurrentThreadAllocatedBytes() - before - overhead));
        }
        assertEquals(0, best, "bytes allocated by ~1000 warm GEMM calls");
    }

    private interface Call {
        void run(Gemm gemm, float[] c, boolean accumulate);
    }

    /** accumulate=false must overwrite C's old contents, accumulate=true add to them. */
    private static void checkBothModes(double[] product, float[] c0, int cOff, int k, String what, Call call) {
        for (Gemm gemm : new Gemm[] {gemm1, gemm2, gemm3}) {
            float[] c = c0.clone();
            call.run(gemm, c, false);
            assertClose(product, c, cOff, k, what + " overwrite");
            c = c0.clone();
            call.run(gemm, c, true);
            double[] sum = new double[product.length];
            for (int i = 0; i < sum.length; i++) sum[i] = product[i] + c0[cOff + i];
            assertClose(sum, c, cOff, k, what + " accumulate");
        }
    }

    /** Float accumulation error grows like sqrt(k); inputs are in [-1, 1). */
    private static void assertClose(double[] want, float[] got, int off, int k, String what) {
        double tolerance = 1e-5 * Math.sqrt(Math.max(k, 1));
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[off + i] - want[i]);
            if (!(err <= tolerance * Math.max(1, Math.abs(want[i])))) {
                fail(what + ": element " + i + " is " + got[off + i] + ", want " + want[i]);
            }
        }
    }

    private static double activate(Epilogue ep, double x) {
        return switch (ep) {
            case NONE, BIAS -> x;
            case BIAS_RELU -> Math.max(x, 0);
            case BIAS_SIGMOID -> 1 / (1 + Math.exp(-x));
            case BIAS_TANH -> Math.tanh(x);
        };
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    private static List<Float> boxed(float[] x) {
        List<Float> list = new ArrayList<>();
        for (float v : x) list.add(v);
        return list;
    }
}
