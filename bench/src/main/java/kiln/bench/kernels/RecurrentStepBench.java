package kiln.bench.kernels;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import kiln.bench.BenchCharLstmModel;
import kiln.bench.BenchCharRnnModel;
import kiln.runtime.CompiledModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One step of the recurrent layer of the charlstm / rnn benchmark models (batch 32, hidden 256):
 * the product with W_hh ({@link kiln.runtime.kernels.RecurrentProduct}) and the generated gate
 * pass (LSTM: gates and cell update; RNN: tanh), forward and backward. A call runs the model's
 * whole sequence of 64 steps, as training does, so W_hh is packed once per 64 steps as there;
 * the score is per step ({@link OperationsPerInvocation}). GFLOP/s counts the W_hh product
 * only, 2 B G H^2 per step.
 *
 * <p>Forward overwrites the input projections with the gate activations, and backward the
 * activations with their gradients, so each call first gets its inputs back from copies made in
 * setup (a per-invocation setup: outside the timing, and harmless at milliseconds per call).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RecurrentStepBench {
    static final int BATCH = 32;
    static final int STEPS = 64;
    static final int HIDDEN = 256;

    /** The bench module's generated sequence models: the layer's field name, and its gate blocks. */
    public enum Cell {
        LSTM("lstm", 4, threads -> new BenchCharLstmModel(BATCH, threads)),
        RNN("rnn", 1, threads -> new BenchCharRnnModel(BATCH, threads));

        final String layerName;
        final int gates;
        final IntFunction<CompiledModel> model;

        Cell(String layerName, int gates, IntFunction<CompiledModel> model) {
            this.layerName = layerName;
            this.gates = gates;
            this.model = model;
        }
    }

    /** A model and its recurrent layer, set up as after the input projection of one batch. */
    @State(Scope.Thread)
    public abstract static class LayerState {
        @Param
        public Cell cell;

        @Param({"1", "2"})
        public int threads;

        CompiledModel model;
        GeneratedRecurrentLayer layer;
        float[] inputProjections; // (T, B, G*H): what forward starts from
        float[] activations;      // (T, B, G*H): what forward leaves, and backward starts from

        @Setup(Level.Trial)
        public void buildLayer() {
            model = cell.model.apply(threads);
            model.initParams(0);
            layer = new GeneratedRecurrentLayer(model, cell.layerName);
            int size = STEPS * BATCH * cell.gates * HIDDEN;
            inputProjections = RandomTensors.uniform(size, 1);
            float[] outputGrad = RandomTensors.uniform(layer.outputGrad.length, 2);
            for (int i = 0; i < outputGrad.length; i++) layer.outputGrad[i] = 1e-3f * outputGrad[i]; // a mean loss's scale
            System.arraycopy(inputProjections, 0, layer.gates, 0, size);
            runForward();
            activations = Arrays.copyOf(layer.gates, size);
        }

        @TearDown(Level.Trial)
        public void closeModel() {
            model.close();
        }

        void runForward() {
            layer.product.forward(layer.weightHh, layer.hidden, layer.hh, BATCH, STEPS, layer.forwardStep);
        }

        void runBackward() {
            layer.product.backward(layer.weightHh, layer.gates, layer.dhRec, false, BATCH, STEPS, layer.backwardStep);
        }
    }

    @State(Scope.Thread)
    public static class BeforeForward extends LayerState {
        @Setup(Level.Invocation)
        public void restoreInputProjections() {
            System.arraycopy(inputProjections, 0, layer.gates, 0, inputProjections.length);
        }
    }

    /** As the generated backward pass starts: no gradient from beyond the last step yet. */
    @State(Scope.Thread)
    public static class BeforeBackward extends LayerState {
        @Setup(Level.Invocation)
        public void restoreActivations() {
            System.arraycopy(activations, 0, layer.gates, 0, activations.length);
            Arrays.fill(layer.dhRec, 0f);
            if (layer.dcRec != null) Arrays.fill(layer.dcRec, 0f);
            Arrays.fill(layer.biasGrad, 0f);
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public float[] forward(BeforeForward state) {
        state.runForward();
        return state.layer.hidden;
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public float[] backward(BeforeBackward state) {
        state.runBackward();
        return state.layer.gates;
    }

    static double flopsPerOp(BenchmarkParams params) {
        return 2.0 * BATCH * Cell.valueOf(params.getParam("cell")).gates * HIDDEN * HIDDEN;
    }

    static String describe(BenchmarkParams params) {
        return "batch " + BATCH + ", hidden " + HIDDEN + ", per step";
    }
}
