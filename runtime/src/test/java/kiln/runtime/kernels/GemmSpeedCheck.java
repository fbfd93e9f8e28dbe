package kiln.runtime.kernels;

import java.util.Random;
import kiln.runtime.parallel.WorkerPool;

/**
 * Prints GEMM throughput for the shapes that matter (the MNIST MLP 784-256-128-10 at batch 64,
 * and a 1024 square) at 1 and 2 threads. A tool to run by hand while tuning, not a test:
 * {@code java --add-modules jdk.incubator.vector -cp runtime/target/classes:runtime/target/test-classes:dsl/target/classes kiln.runtime.kernels.GemmSpeedCheck}
 */
public final class GemmSpeedCheck {
    private enum Op { NT, NN, TN }

    private record Shape(Op op, int m, int n, int k, String what) {}

    private static final Shape[] SHAPES = {
        new Shape(Op.NT, 64, 256, 784, "fc1 forward"),
        new Shape(Op.NT, 64, 128, 256, "fc2 forward"),
        new Shape(Op.NT, 64, 10, 128, "fc3 forward"),
        new Shape(Op.NN, 64, 784, 256, "fc1 input grad"),
        new Shape(Op.NN, 64, 256, 128, "fc2 input grad"),
        new Shape(Op.NN, 64, 128, 10, "fc3 input grad"),
        new Shape(Op.TN, 256, 784, 64, "fc1 weight grad"),
        new Shape(Op.TN, 128, 256, 64, "fc2 weight grad"),
        new Shape(Op.TN, 10, 128, 64, "fc3 weight grad"),
        new Shape(Op.NT, 1024, 1024, 1024, "square"),
        new Shape(Op.NN, 1024, 1024, 1024, "square"),
        new Shape(Op.TN, 1024, 1024, 1024, "square"),
    };

    public static void main(String[] args) {
        int[] threadCounts = {1, 2};
        System.out.printf("%-16s %-3s %5s %5s %5s %10s %10s%n", "shape", "op", "m", "n", "k", "1 thread", "2 threads");
        double[][] results = new double[SHAPES.length][threadCounts.length];
        for (int t = 0; t < threadCounts.length; t++) {
            try (WorkerPool pool = new WorkerPool(threadCounts[t])) {
                Gemm gemm = new Gemm(pool);
                for (int s = 0; s < SHAPES.length; s++) results[s][t] = gflops(gemm, SHAPES[s]);
            }
        }
        for (int s = 0; s < SHAPES.length; s++) {
            Shape sh = SHAPES[s];
            System.out.printf("%-16s %-3s %5d %5d %5d %10.1f %10.1f%n", sh.what, sh.op, sh.m, sh.n, sh.k,
                    results[s][0], results[s][1]);
        }
    }

    /** Best of several timed batches, each long enough (~50 ms) to swamp the clock. */
    private static double gflops(Gemm gemm, Shape s) {
        Random rnd = new Random(1);
        float[] a = random(rnd, s.m * s.k), b = random(rnd, s.n * s.k), bias = random(rnd, s.n);
        float[] c = new float[s.m * s.n];
        double flops = 2.0 * s.m * s.n * s.k;
        int reps = (int) Math.max(1, 5e7 / flops * 20);
        double best = 0;
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                switch (s.op) {
                    case NT -> gemm.nt(a, 0, b, 0, bias, c, 0, s.m, s.n, s.k, Epilogue.BIAS_RELU);
                    case NN -> gemm.nn(a, 0, b, 0, c, 0, s.m, s.n, s.k, false);
                    case TN -> gemm.tn(a, 0, b, 0, c, 0, s.m, s.n, s.k, false);
                }
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            best = Math.max(best, flops * reps / seconds * 1e-9);
        }
        return best;
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() - 0.5f;
        return x;
    }
}
