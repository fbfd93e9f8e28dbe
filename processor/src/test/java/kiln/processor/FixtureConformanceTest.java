package kiln.processor;

import static kiln.processor.Tolerance.assertClose;

import com.google.gson.JsonObject;
import java.util.function.Consumer;
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
 * Generated feed-forward models against the PyTorch float64 references of ../shared/fixtures
 * (copied into test resources): dense layers with every loss, convolution with max-pool, average
 * pooling in floor mode, global average pooling, batch norm in training mode (with the running
 * statistics after each step), transposed convolution, a VAE (Gaussian sample, BCE against the
 * input summed, KL summed), a LeakyReLU discriminator with its input gradient (the generator's
 * training signal), MSE (mean) and BCE-with-logits, softmax as a node, dropout with a given mask.
 * Forward values (the logits, not only probabilities), every loss, every gradient (the input's
 * included) and 3 steps of each optimizer, within the manifest's float32 tolerances (abs 1e-5 +
 * rel 1e-4; abs 1e-4 + rel 1e-3 for parameters after 3 steps). The given random tensors are fed
 * through the models' noise buffers with fixed noise. Recurrent cases: RecurrentConformanceTest.
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

    static final String AVGPOOL = """
            package fx;
            import kiln.dsl.*;
            @Model
            class AvgPool {
                @Input({1, 7, 7}) Layer input;
                @Conv2d(outChannels = 2, kernel = 3, activation = Activation.RELU) Layer conv;
                @AvgPool2d(kernel = 2) Layer pool;
                @Flatten Layer flat;
                @Dense(units = 2) Layer fc;
                @Loss(LossKind.MSE) Layer loss;
            }
            """;
    static final String GLOBAL_AVGPOOL = """
            package fx;
            import kiln.dsl.*;
            @Model
            class GlobalAvgPool {
                @Input({2, 5, 5}) Layer input;
                @Conv2d(outChannels = 3, kernel = 3, padding = 1, activation = Activation.RELU) Layer conv;
                @GlobalAvgPool2d Layer pool;
                @Dense(units = 4) Layer fc;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String BATCHNORM_TRAIN = """
            package fx;
            import kiln.dsl.*;
            @Model
            class BatchNormTrain {
                @Input({2, 4, 4}) Layer input;
                @Conv2d(outChannels = 3, kernel = 3, padding = 1, bias = false) Layer conv;
                @BatchNorm(momentum = 0.1, eps = 1e-5, activation = Activation.RELU) Layer bn;
                @GlobalAvgPool2d Layer pool;
                @Dense(units = 3) Layer fc;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String CONV_TRANSPOSE = """
            package fx;
            import kiln.dsl.*;
            @Model
            class ConvTranspose {
                @Input({2, 3, 3}) Layer input;
                @ConvTranspose2d(outChannels = 3, kernel = 3, stride = 2, padding = 1, outputPadding = 1) Layer deconv;
                @Activate(Activation.SIGMOID) Layer out;
                @Loss(LossKind.MSE) Layer loss;
            }
            """;
    static final String VAE = """
            package fx;
            import kiln.dsl.*;
            @Model
            class Vae {
                @Input(6) Layer x;
                @Dense(units = 5, activation = Activation.RELU) Layer fc1;
                @Dense(units = 2, from = "fc1") Layer fc21;
                @Dense(units = 2, from = "fc1") Layer fc22;
                @GaussianSample(mean = "fc21", logVariance = "fc22") Layer z;
                @Dense(units = 5, activation = Activation.RELU) Layer fc3;
                @Dense(units = 6, activation = Activation.SIGMOID) Layer fc4;
                @Loss(value = LossKind.BINARY_CROSS_ENTROPY, target = "x", reduction = Reduction.SUM) Layer bce;
                @Loss(value = LossKind.KL_DIVERGENCE, from = "z", reduction = Reduction.SUM) Layer kl;
            }
            """;
    static final String LEAKY_RELU_GAN_D = """
            package fx;
            import kiln.dsl.*;
            @Model
            class Discriminator {
                @Input(4) Layer image;
                @Dense(units = 5) Layer d1;
                @LeakyRelu(slope = 0.2) Layer act;
                @Dense(units = 1) Layer d2;
                @Loss(LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS) Layer loss;
            }
            """;
    static final String MSE_MEAN = """
            package fx;
            import kiln.dsl.*;
            @Model
            class MseMean {
                @Input(3) Layer input;
                @Dense(units = 4, activation = Activation.TANH) Layer fc1;
                @Dense(units = 3) Layer fc2;
                @Loss(LossKind.MSE) Layer loss;
            }
            """;
    static final String BCE_LOGITS = """
            package fx;
            import kiln.dsl.*;
            @Model
            class BceLogits {
                @Input(3) Layer input;
                @Dense(units = 4, activation = Activation.TANH) Layer fc1;
                @Dense(units = 2) Layer fc2;
                @Loss(LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS) Layer loss;
            }
            """;
    static final String SOFTMAX_NODE = """
            package fx;
            import kiln.dsl.*;
            @Model
            class SoftmaxNode {
                @Input(4) Layer input;
                @Dense(units = 3) Layer fc;
                @Activate(Activation.SOFTMAX) Layer probs;
                @Loss(LossKind.MSE) Layer loss;
            }
            """;
    static final String DROPOUT = """
            package fx;
            import kiln.dsl.*;
            @Model
            class DropoutNet {
                @Input(5) Layer input;
                @Dense(units = 6, activation = Activation.RELU) Layer fc1;
                @Dropout(0.25) Layer drop;
                @Dense(units = 3) Layer fc2;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;

    /** A fixture case, the model that declares it, and what to do to the model before each forward (fixed noise). */
    private record Case(String fixture, String className, String source, String output, Consumer<CompiledModel> fixNoise) {}

    private static Case of(String name) {
        return switch (name) {
            case "dense_sigmoid_mse" -> new Case(name, "fx.DenseSigmoidMse", DENSE_SIGMOID_MSE, "a2", m -> {});
            case "dense_relu_bce" -> new Case(name, "fx.DenseReluBce", DENSE_RELU_BCE, "fc2", m -> {});
            case "mlp_softmax_ce" -> new Case(name, "fx.MlpSoftmaxCe", MLP_SOFTMAX_CE, "fc3", m -> {});
            case "conv_pool" -> new Case(name, "fx.ConvPool", CONV_POOL, "fc", m -> {});
            case "avgpool" -> new Case(name, "fx.AvgPool", AVGPOOL, "fc", m -> {});
            case "global_avgpool" -> new Case(name, "fx.GlobalAvgPool", GLOBAL_AVGPOOL, "fc", m -> {});
            case "batchnorm_train" -> new Case(name, "fx.BatchNormTrain", BATCHNORM_TRAIN, "fc", FixtureConformanceTest::initialBuffers);
            case "conv_transpose" -> new Case(name, "fx.ConvTranspose", CONV_TRANSPOSE, "out", m -> {});
            case "vae" -> new Case(name, "fx.Vae", VAE, "fc4", fixed("z", "eps", Fixture.load(name)));
            case "leaky_relu_gan_d", "leaky_relu_gan_d/generator_signal" -> new Case(name, "fx.Discriminator", LEAKY_RELU_GAN_D, "d2", m -> {});
            case "mse_mean_bce_logits" -> new Case(name, "fx.MseMean", MSE_MEAN, "fc2", m -> {});
            case "mse_mean_bce_logits/bce_logits" -> new Case(name, "fx.BceLogits", BCE_LOGITS, "fc2", m -> {});
            case "softmax_node" -> new Case(name, "fx.SoftmaxNode", SOFTMAX_NODE, "probs", m -> {});
            case "dropout" -> new Case(name, "fx.DropoutNet", DROPOUT, "fc2", fixed("drop", "dropout_mask", Fixture.load(name)));
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Puts the fixture's random tensor into the node's noise buffer and makes the model reuse it. */
    private static Consumer<CompiledModel> fixed(String node, String randomInput, Fixture fx) {
        float[] values = Fixture.floats(fx.randomInput(randomInput));
        return m -> {
            m.setNoiseFixed(true);
            System.arraycopy(values, 0, m.noise(node), 0, values.length);
        };
    }

    @ParameterizedTest
    @CsvSource({"dense_sigmoid_mse, 1", "dense_relu_bce, 1", "mlp_softmax_ce, 1", "mlp_softmax_ce, 2", "conv_pool, 1",
            "conv_pool, 2", "avgpool, 1", "avgpool, 2", "global_avgpool, 1", "global_avgpool, 2", "batchnorm_train, 1",
            "batchnorm_train, 2", "conv_transpose, 1", "conv_transpose, 2", "vae, 1", "vae, 2", "leaky_relu_gan_d, 1", "leaky_relu_gan_d/generator_signal, 1",
            "mse_mean_bce_logits, 1", "mse_mean_bce_logits/bce_logits, 1", "softmax_node, 1", "dropout, 1", "dropout, 2"})
    void forwardLossAndGradientsMatchPyTorch(String name, int threads) {
        Case c = of(name);
        Fixture fx = Fixture.load(name);
        try (CompiledModel model = ModelCompiler.load(c.className(), c.source(), fx.batchSize(), threads)) {
            loadParams(model, fx.params());
            c.fixNoise().accept(model);
            Batch batch = batch(model, fx);
            model.setInputGradients(true);

            model.forward(batch);
            float loss = model.lossAndGrad(batch);
            model.backward();

            assertClose("loss", fx.loss(), loss, 1e-5, 1e-4);
            assertClose("output", fx.output(), model.activation(c.output()), 1e-5, 1e-4);
            for (Param p : model.params()) assertClose(p.name + " grad", fx.paramGrad(p.name), p.grad, 1e-5, 1e-4);
            assertClose("input grad", fx.inputGrad(), model.inputGradient(model.inputNames().get(0)), 1e-5, 1e-4);
            if (name.equals("vae")) {
                for (String node : new String[] {"fc21", "fc22", "z"}) {
                    assertClose(node, fx.intermediate(node), model.activation(node), 1e-5, 1e-4);
                }
                assertClose("kl term", klSum(fx), model.lossTerm(1), 1e-5, 1e-4);
            }
            if (name.startsWith("leaky_relu_gan_d")) assertClose("d1", fx.intermediate("d1"), model.activation("d1"), 1e-5, 1e-4);
            if (name.equals("batchnorm_train")) assertBuffers("after one forward", fx.json.getAsJsonObject("forward")
                    .getAsJsonObject("buffers_after"), model);
            if (model.targetKind() == TargetKind.CLASS_INDEX) {
                assertClose("softmax", Fixture.data(fx.json.getAsJsonObject("forward").get("softmax")),
                        model.lastPredictions(batch.size), 1e-5, 1e-4);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"dense_sigmoid_mse, sgd", "dense_sigmoid_mse, sgd_momentum_wd", "dense_sigmoid_mse, adam",
            "dense_relu_bce, sgd", "dense_relu_bce, sgd_momentum_wd", "dense_relu_bce, adam",
            "mlp_softmax_ce, sgd", "mlp_softmax_ce, sgd_momentum_wd", "mlp_softmax_ce, adam",
            "conv_pool, sgd", "conv_pool, sgd_momentum_wd", "conv_pool, adam", "avgpool, sgd", "avgpool, adam",
            "global_avgpool, sgd_momentum_wd", "global_avgpool, adam", "batchnorm_train, sgd", "batchnorm_train, sgd_momentum_wd",
            "batchnorm_train, adam", "conv_transpose, sgd", "conv_transpose, adam",
            "vae, sgd", "vae, sgd_momentum_wd", "vae, adam", "leaky_relu_gan_d, adam",
            "mse_mean_bce_logits, sgd_momentum_wd", "mse_mean_bce_logits/bce_logits, adam", "softmax_node, sgd",
            "softmax_node, adam", "dropout, sgd", "dropout, adam"})
    void threeOptimizerStepsMatchPyTorch(String name, String run) {
        Case c = of(name);
        Fixture fx = Fixture.load(name);
        JsonObject expected = fx.optimizer(run);
        try (CompiledModel model = ModelCompiler.load(c.className(), c.source(), fx.batchSize(), 1)) {
            loadParams(model, fx.params());
            c.fixNoise().accept(model);
            Batch batch = batch(model, fx);
            Optimizer opt = switch (run) {
                case "sgd" -> new Sgd(model.params(), 0.1, 0, 0, false);
                case "sgd_momentum_wd" -> new Sgd(model.params(), 0.05, 0.9, 5e-4, false);
                default -> new Adam(model.params(), 1e-2, 0.9, 0.999, 1e-8, 0);
            };
            var losses = expected.getAsJsonArray("losses");
            for (int step = 0; step < 3; step++) {
                model.forward(batch);
                float loss = model.lossAndGrad(batch);
                assertClose(run + " loss before step " + (step + 1), losses.get(step).getAsDouble(), loss, 1e-4, 1e-3);
                model.backward();
                opt.step();
                if (expected.has("buffers_after_each_step")) {
                    assertBuffers(run + " step " + (step + 1), expected.getAsJsonArray("buffers_after_each_step").get(step)
                            .getAsJsonObject(), model);
                }
            }
            // the loss after the last step, in the case's mode without a further statistics update
            if (expected.has("buffers_after_each_step")) model.predict(batch);
            else model.forward(batch);
            assertClose(run + " loss after 3 steps", losses.get(3).getAsDouble(), model.loss(batch), 1e-4, 1e-3);
            JsonObject after = expected.getAsJsonObject("params_after");
            for (Param p : model.params()) {
                assertClose(run + " " + p.name + " after 3 steps", Fixture.data(after.get(p.name)), p.value, 1e-4, 1e-3);
            }
        }
    }

    /** Batch norm's running statistics start where the case's do (num_batches_tracked is not kept). */
    private static void initialBuffers(CompiledModel model) {
        JsonObject initial = Fixture.load("batchnorm_train").json.getAsJsonObject("buffers").getAsJsonObject("initial");
        for (Param b : model.buffers()) {
            double[] v = Fixture.data(initial.get(b.name));
            System.arraycopy(Fixture.floats(v), 0, b.value, 0, v.length);
        }
    }

    private static void assertBuffers(String when, JsonObject expected, CompiledModel model) {
        for (Param b : model.buffers()) assertClose(b.name + " " + when, Fixture.data(expected.get(b.name)), b.value, 1e-5, 1e-4);
    }

    static void loadParams(CompiledModel model, java.util.Map<String, double[]> params) {
        for (Param p : model.params()) {
            double[] v = params.get(p.name);
            if (v == null) throw new AssertionError("fixture has no parameter " + p.name + "; it has " + params.keySet());
            System.arraycopy(Fixture.floats(v), 0, p.value, 0, v.length);
        }
    }

    /** The KL term from the reference's mean and log-variance: -0.5 sum (1 + logvar - mu^2 - exp(logvar)). */
    private static double klSum(Fixture fx) {
        double[] mu = fx.intermediate("fc21"), lv = fx.intermediate("fc22");
        double kl = 0;
        for (int i = 0; i < mu.length; i++) kl += -0.5 * (1 + lv[i] - mu[i] * mu[i] - Math.exp(lv[i]));
        return kl;
    }

    static Batch batch(CompiledModel model, Fixture fx) {
        int n = fx.batchSize();
        Batch b = Batch.forModel(model, n);
        System.arraycopy(Fixture.floats(fx.input()), 0, b.x, 0, n * model.inputSize());
        double[] t = fx.target();
        if (model.targetKind() == TargetKind.CLASS_INDEX) {
            for (int i = 0; i < n; i++) b.labels[i] = (int) t[i];
        } else if (model.targetKind() != TargetKind.NONE) {
            System.arraycopy(Fixture.floats(t), 0, b.targets, 0, t.length);
        }
        b.size = n;
        return b;
    }
}
