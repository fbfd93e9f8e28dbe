package kiln.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import kiln.runtime.parallel.WorkerPool;

/**
 * Prints GEMM throughput for the shapes that matter (the MNIST MLP 784-256-128-10 at batch 64,
 * and a 1024 square) at 1 and 2 threads. A tool to run by hand while tuning, not a test:
 * {@code java --add-modules jdk.incubator.vector -cp runtime/target/classes:runtime/target/test-classes:dsl/target/classes kiln.runtime.kernels.GemmSpeedCheck}
 *
 * <p>Each figure is the best of many ~20 ms batches over a few seconds (default 3, or the first
 * argument), batches at 1 and 2 threads taking turns: the first ones include JIT warm-up. On a
 * shared machine a batch during which this process got less than 90% of its threads' worth of
 * CPU time was sharing cores with someone else, and is left out; a figure marked * had no
 * batch left and is the best contended one.
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
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        System.out.printf("GFLOP/s; %d cores, %d float lanes per vector%n",
                Runtime.getRuntime().availableProcessors(), FloatVector.SPECIES_PREFERRED.length());
        System.out.printf("%-16s %-3s %5s %5s %5s %10s %10s%n", "shape", "op", "m", "n", "k", "1 thread", "2 threads");
        try (WorkerPool pool1 = new WorkerPool(1); WorkerPool pool2 = new WorkerPool(2)) {
            Gemm[] gemms = {new Gemm(pool1), new Gemm(pool2)};
            for (Shape s : SHAPES) {
                String[] cells = bestGflops(gemms, s, seconds);
                System.out.printf("%-16s %-3s %5d %5d %5d %10s %10s%n", s.what, s.op, s.m, s.n, s.k, cells[0], cells[1]);
            }
        }
    }

    private static String[] bestGflops(Gemm[] gemms, Shape s, double seconds) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Random rnd = new Random(1);
        float[] a = random(rnd, s.m * s.k), b = random(rnd, s.n * s.k), bias = random(rnd, s.n);
        float[] c = new float[s.m * s.n];
        double flops = 2.0 * s.m * s.n * s.k;
        int reps = (int) Math.max(1, 2e9 / flops); // ~20 ms at 100 GFLOP/s
        double[] alone = new double[gemms.length], any = new double[gemms.length];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (int g = 0; g < gemms.length; g++) {
                long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    switch (s.op) {
                        case NT -> gemms[g].nt(a, 0, b, 0, bias, c, 0, s.m, s.n, s.k, Epilogue.BIAS_RELU);
                        case NN -> gemms[g].nn(a, 0, b, 0, c, 0, s.m, s.n, s.k, false);
                        case TN -> gemms[g].tn(a, 0, b, 0, c, 0, s.m, s.n, s.k, false);
                    }
                }
                long wall = System.nanoTime() - t0, cpu = os.getProcessCpuTime() - cpu0;
                double gflops = flops * reps / wall;
                any[g] = Math.max(any[g], gflops);
                int busyThreads = g == 0 || (long) s.m * s.n * s.k < Gemm.PARALLEL_MIN_FMAS ? 1 : 2;
                if (cpu >= 0.9 * wall * busyThreads) alone[g] = Math.max(alone[g], gflops);
            }
        }
        String[] cells = new String[gemms.length];
        for (int g = 0; g < gemms.length; g++) {
            cells[g] = alone[g] > 0 ? String.format("%.1f", alone[g]) : String.format("%.1f*", any[g]);
        }
        return cells;
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() - 0.5f;
        return x;
    }
}
