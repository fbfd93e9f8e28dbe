package kiln.bench.kernels;

import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Floating-point operations of one op of each kernel benchmark, and a one-line description of its
 * shape, from the benchmark's parameters; each benchmark class owns its own formula.
 */
final class KernelFlops {
    private KernelFlops() {}

    /** Flops of one op, or NaN for a benchmark this does not know. */
    static double perOp(BenchmarkParams params) {
        return switch (benchmarkClass(params.getBenchmark())) {
            case "GemmBench" -> GemmBench.flopsPerOp(params);
            case "ConvBench" -> ConvBench.flopsPerOp(params);
            case "RecurrentStepBench" -> RecurrentStepBench.flopsPerOp(params);
            case "FmaPeakBench" -> FmaPeakBench.flopsPerOp(params);
            default -> Double.NaN;
        };
    }

    static String describe(BenchmarkParams params) {
        return switch (benchmarkClass(params.getBenchmark())) {
            case "GemmBench" -> GemmBench.describe(params);
            case "ConvBench" -> ConvBench.describe(params);
            case "RecurrentStepBench" -> RecurrentStepBench.describe(params);
            case "FmaPeakBench" -> FmaPeakBench.describe();
            default -> "";
        };
    }

    /** "GemmBench" of "kiln.bench.kernels.GemmBench.multiply". */
    static String benchmarkClass(String name) {
        String owner = name.substring(0, name.lastIndexOf('.'));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }
}
