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
 * The open model's ops and loss terms against PyTorch float64 references (../shared/fixtures): a
 * VAE (Gaussian sample, BCE against the input summed, KL summed), a LeakyReLU discriminator with
 * its input gradient (the generator's training signal), MSE (mean) and BCE-with-logits, softmax as
 * a node, dropout with a given mask. Forward values, every loss, every gradient (the input's
 * included) and 3 steps of each optimizer, within the manifest's float32 tolerances. The given
 * random tensors are fed through the models' noise buffers with fixed noise.
 */
class OpenModelConformanceTest {
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
    @CsvSource({"vae, 1", "vae, 2", "leaky_relu_gan_d, 1", "leaky_relu_gan_d/generator_signal, 1",
            "mse_mean_bce_logits, 1", "mse_mean_bce_logits/bce_logits, 1", "softmax_node, 1", "dropout, 1", "dropout, 2"})
    void forwardLossAndGradientsMatchPyTorch(String name, int threads) {
        Case c = of(name);
        Fixture fx = Fixture.load(name);
        try (CompiledModel model = ModelCompiler.load(c.className(), c.source(), fx.batchSize(), threads)) {
            FixtureConformanceTest.loadParams(model, fx.params());
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
        }
    }

    @ParameterizedTest
    @CsvSource({"vae, sgd", "vae, sgd_momentum_wd", "vae, adam", "leaky_relu_gan_d, adam",
            "mse_mean_bce_logits, sgd_momentum_wd", "mse_mean_bce_logits/bce_logits, adam", "softmax_node, sgd",
            "softmax_node, adam", "dropout, sgd", "dropout, adam"})
    void threeOptimizerStepsMatchPyTorch(String name, String run) {
        Case c = of(name);
        Fixture fx = Fixture.load(name);
        JsonObject expected = fx.optimizer(run);
        try (CompiledModel model = ModelCompiler.load(c.className(), c.source(), fx.batchSize(), 1)) {
            FixtureConformanceTest.loadParams(model, fx.params());
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
            }
            model.forward(batch);
            assertClose(run + " loss after 3 steps", losses.get(3).getAsDouble(), model.loss(batch), 1e-4, 1e-3);
            JsonObject after = expected.getAsJsonObject("params_after");
            for (Param p : model.params()) {
                assertClose(run + " " + p.name + " after 3 steps", Fixture.data(after.get(p.name)), p.value, 1e-4, 1e-3);
            }
        }
    }

    /** The KL term from the reference's mean and log-variance: -0.5 sum (1 + logvar - mu^2 - exp(logvar)). */
    private static double klSum(Fixture fx) {
        double[] mu = fx.intermediate("fc21"), lv = fx.intermediate("fc22");
        double kl = 0;
        for (int i = 0; i < mu.length; i++) kl += -0.5 * (1 + lv[i] - mu[i] * mu[i] - Math.exp(lv[i]));
        return kl;
    }

    private static Batch batch(CompiledModel model, Fixture fx) {
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
