package kiln.bench.kernels;

import java.util.concurrent.TimeUnit;
import kiln.runtime.kernels.Gemm;
import kiln.runtime.parallel.WorkerPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One {@link Gemm} call of a benchmark model ({@link GemmShape}) on a pool of 1 or 2 threads.
 * Buffers, pool and packing workspaces are made in {@link #setUp}; the measured call allocates
 * nothing. GFLOP/s = 2 m n k / time, printed by {@link KernelBenchmarks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
    /** All of {@link GemmShape} unless {@code -p shape=...} picks some. */
    @Param
    public GemmShape shape;

    @Param({"1", "2"})
    public int threads;

    private WorkerPool pool;
    private Gemm gemm;
    private float[] a, b, bias, c;

    @Setup
    public void setUp() {
        pool = new WorkerPool(threads);
        gemm = new Gemm(pool);
        a = RandomTensors.uniform(shape.m * shape.k, 1);
        b = RandomTensors.uniform(shape.n * shape.k, 2);
        bias = RandomTensors.uniform(shape.n, 3);
        c = new float[shape.m * shape.n];
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    /** Returns C so that the product cannot be dropped as dead code. */
    @Benchmark
    public float[] multiply() {
        shape.multiply(gemm, a, b, bias, c);
        return c;
    }

    static double flopsPerOp(BenchmarkParams params) {
        return GemmShape.valueOf(params.getParam("shape")).flops();
    }

    /** The shape's product and size, for the summary. */
    static String describe(BenchmarkParams params) {
        return GemmShape.valueOf(params.getParam("shape")).describe();
    }
}
