package kiln.bench.kernels;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * The table printed after JMH's own: per benchmark and parameters, time per op, GFLOP/s (the
 * kernel's multiply-adds x 2 over that time, see {@link KernelFlops}) and, when a PyTorch SGEMM
 * figure is known for the same thread count, GFLOP/s as a percentage of it. The benchmarks run
 * in {@code Mode.SampleTime}, which times a sample of the calls (about 20 per millisecond), so
 * the table also gives the median and the fastest sampled call: on a VM whose speed drifts by a
 * third within minutes, the mean mixes the code's speed with the host's. The reference is
 * torch.mm of two 1024 x 1024 float32 matrices (pytorch_bench.py --model gemm), the best a BLAS
 * does on this machine, so the column says how far each kernel is from the roof. For the GEMM
 * shapes, when scripts/torch_gemm.py timed torch.mm on the same product ({@link TorchGemmTimes}),
 * the last two columns give its median GFLOP/s and Kiln's median as a multiple of it.
 */
final class GflopsSummary {
    private GflopsSummary() {}

    /** {@code sgemmGflops}: threads -> torch.mm 1024 GFLOP/s; may be empty. */
    static void print(Collection<RunResult> results, Map<Integer, Double> sgemmGflops, TorchGemmTimes torch, PrintStream out) {
        if (results.isEmpty()) return;
        out.println();
        out.println("Kernel GFLOP/s (2 x multiply-adds of the products only / time per op): over the mean time, and,"
                + " when calls were sampled (-bm sample), over the median and the fastest sampled call"
                + (sgemmGflops.isEmpty() ? "" : "; % of PyTorch SGEMM = of torch.mm 1024 at the same thread count " + sgemmGflops)
                + (torch.medianSeconds().isEmpty() ? "" : "; torch GF = torch.mm's median on the same shape, x torch = Kiln's median / it"));
        String format = "%-43s %-28s %-36s %3s %11s %8s %9s %10s %9s %10s %9s %8s%n";
        out.printf(Locale.ROOT, format, "benchmark", "case", "shape", "thr", "mean us/op", "GFLOP/s", "% SGEMM",
                "median GF", "median %", "fastest GF", "torch GF", "x torch");
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            Statistics calls = result.getPrimaryResult().getStatistics();
            double flops = KernelFlops.perOp(params);
            double seconds = secondsPerOp(params, calls.getMean());
            String threads = params.getParam("threads");
            Double reference = threads == null ? null : sgemmGflops.get(Integer.parseInt(threads));
            boolean sampled = params.getMode() == Mode.SampleTime; // otherwise the statistics are over iterations
            double mean = flops / seconds / 1e9;
            double median = sampled ? flops / secondsPerOp(params, calls.getPercentile(50)) / 1e9 : Double.NaN;
            double fastest = sampled ? flops / secondsPerOp(params, calls.getMin()) / 1e9 : Double.NaN;
            String shape = params.getParam("shape");
            double torchMedian = shape == null || threads == null ? Double.NaN : torch.medianGflops(shape, Integer.parseInt(threads));
            out.printf(Locale.ROOT, format,
                    shortName(params.getBenchmark()),
                    caseName(params),
                    KernelFlops.describe(params),
                    threads == null ? "" : threads,
                    String.format(Locale.ROOT, "%.2f", seconds * 1e6),
                    rate(mean),
                    share(mean, reference),
                    rate(median),
                    share(median, reference),
                    rate(fastest),
                    rate(torchMedian),
                    Double.isNaN(median / torchMedian) ? "" : String.format(Locale.ROOT, "%.2fx", median / torchMedian));
        }
    }

    private static String rate(double gflops) {
        return Double.isNaN(gflops) ? "" : String.format(Locale.ROOT, "%.1f", gflops);
    }

    private static String share(double gflops, Double reference) {
        return reference == null || Double.isNaN(gflops) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / reference);
    }

    /** The score as seconds per op: time per op in the time modes, the inverse in throughput mode. */
    static double secondsPerOp(BenchmarkParams params, double score) {
        double unitSeconds = params.getTimeUnit().toNanos(1) / 1e9;
        return params.getMode() == Mode.Throughput ? 1 / (score / unitSeconds) : score * unitSeconds;
    }

    /** "GemmBench.multiply" of "kiln.bench.kernels.GemmBench.multiply". */
    private static String shortName(String benchmark) {
        return KernelFlops.benchmarkClass(benchmark) + benchmark.substring(benchmark.lastIndexOf('.'));
    }

    /** The parameters other than threads: the shape, layer or cell. */
    private static String caseName(BenchmarkParams params) {
        StringBuilder name = new StringBuilder();
        for (String key : params.getParamsKeys()) {
            if (key.equals("threads")) continue;
            if (!name.isEmpty()) name.append(' ');
            name.append(params.getParam(key));
        }
        return name.toString();
    }
}
