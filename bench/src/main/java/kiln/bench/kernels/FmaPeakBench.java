package kiln.bench.kernels;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.parallel.ParallelTask;
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
 * The machine's vector FMA roof: each thread of a pool runs {@value #CHAINS} independent FMA
 * chains on registers only, no memory traffic. Its GFLOP/s is the most any kernel reaches at
 * that thread count, and its 2-thread over 1-thread ratio the most a compute-bound workload can
 * scale: on a VM whose cores slow down when both work, that can be well under 2.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** More chains than FMA latency x FMA ports (4 x 2 on Zen 3), so the ports never wait. */
    static final int CHAINS = 10;
    /** FMA steps per chain and thread in one op: about 0.1 ms. */
    static final int STEPS = 1 << 15;
    /**
     * Each chain runs a <- m b + a, the accumulator as the addend as in a GEMM micro-kernel, so C2
     * updates it in place (with a <- a m + b, the form this had first, it copied b before every
     * FMA and its unrolled loop ran each chain's FMAs back to back: about 65% of this rate). The
     * sum grows by 0.001 a step: no overflow, no subnormals.
     */
    private static final float[] MULTIPLIER = filled(0.999f), ADDEND = filled(0.001f);

    @Param({"1", "2"})
    public int threads;

    private WorkerPool pool;
    private Chains chains;

    @Setup
    public void setUp() {
        pool = new WorkerPool(threads);
        chains = new Chains(threads);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    /** Returns the chains' sums so that they cannot be dropped as dead code. */
    @Benchmark
    public float fma() {
        pool.run(chains);
        return chains.sum();
    }

    static double flopsPerOp(BenchmarkParams params) {
        return 2.0 * Integer.parseInt(params.getParam("threads")) * STEPS * CHAINS * S.length();
    }

    static String describe() {
        return CHAINS + " register FMA chains per thread";
    }

    private static float[] filled(float value) {
        float[] lanes = new float[S.length()];
        Arrays.fill(lanes, value);
        return lanes;
    }

    private static final class Chains implements ParallelTask {
        private static final int SLOT = 16; // floats between the workers' results: separate cache lines
        final float[] results;

        Chains(int workers) {
            results = new float[workers * SLOT];
        }

        @Override
        public void run(int worker, int workers) {
            // Chains start apart, or C2 merges them into one; the multiplier and addend are loaded,
            // because a broadcast C2 re-creates before every FMA, on the FMA ports.
            FloatVector m = FloatVector.fromArray(S, MULTIPLIER, 0), b = FloatVector.fromArray(S, ADDEND, 0);
            FloatVector a0 = FloatVector.broadcast(S, worker), a1 = a0.add(1f), a2 = a0.add(2f), a3 = a0.add(3f);
            FloatVector a4 = a0.add(4f), a5 = a0.add(5f), a6 = a0.add(6f), a7 = a0.add(7f), a8 = a0.add(8f), a9 = a0.add(9f);
            for (int i = 0; i < STEPS; i++) {
                a0 = m.fma(b, a0);
                a1 = m.fma(b, a1);
                a2 = m.fma(b, a2);
                a3 = m.fma(b, a3);
                a4 = m.fma(b, a4);
                a5 = m.fma(b, a5);
                a6 = m.fma(b, a6);
                a7 = m.fma(b, a7);
                a8 = m.fma(b, a8);
                a9 = m.fma(b, a9);
            }
            FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9);
            results[worker * SLOT] = s.reduceLanes(VectorOperators.ADD);
        }

        float sum() {
            float s = 0f;
            for (int i = 0; i < results.length; i += SLOT) s += results[i];
            return s;
        }
    }
}
