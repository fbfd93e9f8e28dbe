package kiln.bench.kernels;

import java.util.concurrent.TimeUnit;
import kiln.dsl.Activation;
import kiln.runtime.kernels.Conv2d;
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
 * A LeNet convolution ({@link ConvLayer}) over a batch of 64, forward and backward, the calls
 * the generated models make. {@link Conv2d#backward} computes the weight and bias gradients and,
 * when given a dX buffer, the input gradient in the same pass, so the input gradient's cost is
 * {@code weightAndInputGradient - weightGradient}. In training conv1 runs the first (nothing needs
 * dL/dx) and conv2 the second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {
    static final int BATCH = 64;

    @Param
    public ConvLayer layer;

    @Param({"1", "2"})
    public int threads;

    private WorkerPool pool;
    private Conv2d conv;
    private float[] x, weight, bias, y, dy, dWeight, dBias, dx; // x, dx (64,cin,h,w); y, dy (64,cout,ph,pw)
    private int[] argmax;                                          // (64,cout,ph,pw)

    @Setup
    public void setUp() {
        pool = new WorkerPool(threads);
        conv = layer.kernel(pool);
        int in = BATCH * conv.inputSize(), out = BATCH * conv.outputSize();
        x = RandomTensors.uniform(in, 1);
        weight = RandomTensors.uniform(layer.cout * layer.cin * ConvLayer.KERNEL * ConvLayer.KERNEL, 2);
        bias = RandomTensors.uniform(layer.cout, 3);
        dy = RandomTensors.uniform(out, 4);
        y = new float[out];
        argmax = new int[out];
        dWeight = new float[weight.length];
        dBias = new float[layer.cout];
        dx = new float[in];
        forward(); // backward reads the forward's output and pooling winners
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] forward() {
        conv.forward(x, weight, bias, Activation.RELU, y, argmax, BATCH);
        return y;
    }

    /** dW and db only, as conv1 runs in training. */
    @Benchmark
    public float[] weightGradient() {
        conv.backward(x, weight, y, dy, argmax, Activation.RELU, dWeight, dBias, null, false, BATCH);
        return dWeight;
    }

    /** dW, db and dX in one pass, as conv2 runs in training. */
    @Benchmark
    public float[] weightAndInputGradient() {
        conv.backward(x, weight, y, dy, argmax, Activation.RELU, dWeight, dBias, dx, false, BATCH);
        return dx;
    }

    static double flopsPerOp(BenchmarkParams params) {
        double products = params.getBenchmark().endsWith(".weightAndInputGradient") ? 2 : 1;
        return products * BATCH * ConvLayer.valueOf(params.getParam("layer")).productFlops();
    }

    static String describe(BenchmarkParams params) {
        return ConvLayer.valueOf(params.getParam("layer")).describe() + ", batch " + BATCH;
    }
}
