package kiln.processor;

import static kiln.processor.Tolerance.assertClose;

import com.google.gson.JsonObject;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;
import kiln.runtime.optim.Adam;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Generated models against PyTorch float64 references: forward output, loss, every parameter
 * gradient and the input gradient, then 3 steps of each optimizer, within the manifest's float32
 * tolerances (abs 1e-5 + rel 1e-4; abs 1e-4 + rel 1e-3 for parameters after 3 steps).
 */
class FixtureConformanceTest {
    static final String DENSE_SIGMOID_MSE = """
            package fx;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class DenseSigmoidMse {
                @Input(3) Layer input;
                @Dense(units = 4) Layer fc1;
                @Activate(Activation.SIGMOID) Layer a1;
                @Dense(units = 2) Layer fc2;
                @Activate(Activation.SIGMOID) Layer a2;
                @Loss(LossKind.MSE_SUM) Layer loss;
            }
            """;
    static final String DENSE_RELU_BCE = """
            package fx;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class DenseReluBce {
                @Input(6) Layer input;
                @Dense(units = 5, activation = Activation.RELU) Layer fc1;
                @Dense(units = 1, activation = Activation.SIGMOID) Layer fc2;
                @Loss(LossKind.BINARY_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String MLP_SOFTMAX_CE = """
            package fx;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class MlpSoftmaxCe {
                @Input(10) Layer input;
                @Dense(units = 16, activation = Activation.RELU) Layer fc1;
                @Dense(units = 8) Layer fc2;
                @Activate(Activation.TANH) Layer a2;
                @Dense(units = 4) Layer fc3;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;

    /** Convolution with fused ReLU and max-pool, a strided padded convolution (im2col), flatten, dense. */
    static final String CONV_POOL = """
            package fx;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class ConvPool {
                @Input({2, 8, 8}) Layer input;
                @Conv2d(outChannels = 3, kernel = 3, padding = 1) Layer conv1;
                @Activate(Activation.RELU) Layer relu1;
                @MaxPool2d(kernel = 2) Layer pool1;
                @Conv2d(outChannels = 4, kernel = 3, stride = 2, padding = 1, activation = Activation.RELU) Layer conv2;
                @Flatten Layer flat;
                @Dense(units = 5) Layer fc;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;

    static String source(String fixture) {
        return switch (fixture) {
            case "dense_sigmoid_mse" -> DENSE_SIGMOID_MSE;
            case "dense_relu_bce" -> DENSE_RELU_BCE;
            case "mlp_softmax_ce" -> MLP_SOFTMAX_CE;
            case "conv_pool" -> CONV_POOL;
            default -> throw new IllegalArgumentException(fixture);
        };
    }

    static String className(String fixture) {
        return switch (fixture) {
            case "dense_sigmoid_mse" -> "fx.DenseSigmoidMse";
            case "dense_relu_bce" -> "fx.DenseReluBce";
            case "conv_pool" -> "fx.ConvPool";
            default -> "fx.MlpSoftmaxCe";
        };
    }

    @ParameterizedTest
    @CsvSource({"dense_sigmoid_mse, 1", "dense_relu_bce, 1", "mlp_softmax_ce, 1", "mlp_softmax_ce, 2", "conv_pool, 1",
            "conv_pool, 2"})
    void forwardLossAndGradientsMatchPyTorch(String name, int threads) throws Exception {
        Fixture fx = Fixture.load(name);
        try (CompiledModel model = ModelCompiler.load(className(name), source(name), fx.batchSize(), threads)) {
            loadParams(model, fx.params());
            Batch batch = batch(model, fx);
            model.setInputGradients(true);

            model.forward(batch.x, batch.size);
            float loss = model.lossAndGrad(batch);
            model.backward(batch.x, batch.size);

            float[] out = model.predict(batch.x, batch.size);
            if (model.targetKind() != TargetKind.CLASS_INDEX) assertClose("output", fx.output(), out, 1e-5, 1e-4);
            assertClose("loss", fx.loss(), loss, 1e-5, 1e-4);
            for (Param p : model.params()) assertClose(p.name + " grad", fx.paramGrad(p.name), p.grad, 1e-5, 1e-4);
            float[] inputGrad = model.inputGradient(model.inputNames().get(0));
            assertClose("input grad", fx.inputGrad(), inputGrad, 1e-5, 1e-4);
        }
    }

    @ParameterizedTest
    @CsvSource({"dense_sigmoid_mse, sgd", "dense_sigmoid_mse, sgd_momentum_wd", "dense_sigmoid_mse, adam",
            "dense_relu_bce, sgd", "dense_relu_bce, sgd_momentum_wd", "dense_relu_bce, adam",
            "mlp_softmax_ce, sgd", "mlp_softmax_ce, sgd_momentum_wd", "mlp_softmax_ce, adam",
            "conv_pool, sgd", "conv_pool, sgd_momentum_wd", "conv_pool, adam"})
    void threeOptimizerStepsMatchPyTorch(String name, String run) {
        Fixture fx = Fixture.load(name);
        JsonObject expected = fx.optimizer(run);
        try (CompiledModel model = ModelCompiler.load(className(name), source(name), fx.batchSize(), 1)) {
            loadParams(model, fx.params());
            Batch batch = batch(model, fx);
            Optimizer opt = optimizer(run, model);
            var losses = expected.getAsJsonArray("losses");
            for (int step = 0; step < 3; step++) {
                model.forward(batch.x, batch.size);
                float loss = model.lossAndGrad(batch);
                assertClose(run + " loss before step " + (step + 1), losses.get(step).getAsDouble(), loss, 1e-4, 1e-3);
                model.backward(batch.x, batch.size);
                opt.step();
            }
            model.forward(batch.x, batch.size);
            assertClose(run + " loss after 3 steps", losses.get(3).getAsDouble(), model.loss(batch), 1e-4, 1e-3);
            JsonObject after = expected.getAsJsonObject("params_after");
            for (Param p : model.params()) {
                assertClose(run + " " + p.name + " after 3 steps", Fixture.data(after.get(p.name)), p.value, 1e-4, 1e-3);
            }
        }
    }

    private static Optimizer optimizer(String run, CompiledModel model) {
        return switch (run) {
            case "sgd" -> new Sgd(model.params(), 0.1, 0, 0, false);
            case "sgd_momentum_wd" -> new Sgd(model.params(), 0.05, 0.9, 5e-4, false);
            case "adam" -> new Adam(model.params(), 1e-2, 0.9, 0.999, 1e-8, 0);
            default -> throw new IllegalArgumentException(run);
        };
    }

    static void loadParams(CompiledModel model, Map<String, double[]> params) {
        for (Param p : model.params()) {
            double[] v = params.get(p.name);
            if (v == null) throw new AssertionError("fixture has no parameter " + p.name + "; it has " + params.keySet());
            System.arraycopy(Fixture.floats(v), 0, p.value, 0, v.length);
        }
    }

    static Batch batch(CompiledModel model, Fixture fx) {
        int n = fx.batchSize();
        Batch b = new Batch(n, model.inputSize(), model.targetSize());
        System.arraycopy(Fixture.floats(fx.input()), 0, b.x, 0, n * model.inputSize());
        double[] t = fx.target();
        if (model.targetKind() == TargetKind.CLASS_INDEX) {
            for (int i = 0; i < n; i++) b.labels[i] = (int) t[i];
        } else {
            System.arraycopy(Fixture.floats(t), 0, b.targets, 0, t.length);
        }
        b.size = n;
        return b;
    }
}
