package kiln.bench.kernels;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Main class of kiln-bench-*-benchmarks.jar: JMH's command line (a benchmark regex, -f, -wi, -i,
 * -p shape=..., -prof gc, ...), then a GFLOP/s table of the results ({@link GflopsSummary}).
 * {@code -Dkiln.sgemm.gflops=1=95.9,2=184.6} (torch.mm 1024 GFLOP/s per thread count, as
 * scripts/jmh.sh measures it) adds a "% of PyTorch SGEMM" column; {@code -Dkiln.torch.gemm=FILE}
 * (scripts/torch_gemm.py's output) adds torch.mm's median on each GEMM shape ({@link TorchGemmTimes}).
 *
 * <pre>java --add-modules jdk.incubator.vector -jar bench/target/kiln-bench-0.1.0-SNAPSHOT-benchmarks.jar GemmBench -p threads=1</pre>
 */
public final class KernelBenchmarks {
    private KernelBenchmarks() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args); // nothing is run, so nothing to summarise
            return;
        }
        // read before the runs, so a bad baseline fails at once rather than after them
        Map<Integer, Double> sgemm = sgemmBaseline(System.getProperty("kiln.sgemm.gflops", ""));
        TorchGemmTimes torch = TorchGemmTimes.fromProperty(System.getProperty("kiln.torch.gemm"));
        Collection<RunResult> results = new Runner(options).run();
        GflopsSummary.print(results, sgemm, torch, System.out);
    }

    /** "1=95.9,2=184.6" -> {1: 95.9, 2: 184.6}; empty when not given. */
    static Map<Integer, Double> sgemmBaseline(String spec) {
        Map<Integer, Double> gflops = new TreeMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) continue;
            String[] kv = entry.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("kiln.sgemm.gflops: expected threads=GFLOP/s, got " + entry);
            gflops.put(Integer.parseInt(kv[0].trim()), Double.parseDouble(kv[1].trim()));
        }
        return gflops;
    }
}
