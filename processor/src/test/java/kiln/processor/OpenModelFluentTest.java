package kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The open model in both declaration styles: a VAE (two loss terms, a Gaussian sample), a GAN's
 * generator (no loss, an output) and discriminator (LeakyReLU), a tied autoencoder with per-node
 * training settings, and a two-input model with noise, multiply, concat and slice generate the
 * same source from an annotated class and from a fluent method (but for the {@code @link}).
 */
class OpenModelFluentTest {
    private static final String ANNOTATED = """
            package eq;
            import kiln.dsl.*;
            class Annotated {
                @Model(data = "mnist", epochs = 10, batch = 128, lr = 1e-3, optimizer = "adam")
                static class Vae {
                    @Input(784) Layer image;
                    @Dense(units = 400, activation = Activation.RELU) Layer fc1;
                    @Dense(units = 20, from = "fc1") Layer mu;
                    @Dense(units = 20, from = "fc1") Layer logvar;
                    @GaussianSample(mean = "mu", logVariance = "logvar") Layer z;
                    @Dense(units = 400, activation = Activation.RELU) Layer fc3;
                    @Dense(units = 784, activation = Activation.SIGMOID) Layer recon;
                    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, target = "image", reduction = Reduction.SUM) Layer bce;
                    @Loss(value = LossKind.KL_DIVERGENCE, from = "z", reduction = Reduction.SUM) Layer kl;
                }

                @Model
                static class Generator {
                    @Input(64) Layer noise;
                    @Dense(units = 256) Layer g1;
                    @LeakyRelu(slope = 0.2) Layer a1;
                    @Dense(units = 784, activation = Activation.TANH) @Output Layer fake;
                }

                @Model
                static class Discriminator {
                    @Input(784) Layer image;
                    @Dense(units = 256) Layer d1;
                    @LeakyRelu(slope = 0.2) Layer a1;
                    @Dense(units = 1) Layer logit;
                    @Loss(LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS) Layer loss;
                }

                @Model
                static class TiedAe {
                    @Input(32) Layer image;
                    @Dense(units = 8, activation = Activation.RELU) @Params(lrScale = 0.5, weightDecay = 0) Layer enc;
                    @Dense(units = 32, activation = Activation.SIGMOID) @Params(transposeOf = "enc") Layer dec;
                    @Dense(units = 8, from = "enc") @Params(frozen = true) Layer probe;
                    @Loss(value = LossKind.MSE, from = "dec", target = "image") Layer recon;
                    @Loss(value = LossKind.L1_ACTIVITY, from = "enc", weight = 0.01) Layer sparsity;
                    @Loss(value = LossKind.MSE, from = "probe") Layer probing;
                }

                @Model
                static class TwoInputs {
                    @Input({1, 4, 4}) Layer image;
                    @Input(6) Layer extra;
                    @MaskingNoise(value = 0.25, from = "image") Layer masked;
                    @Flatten Layer flat;
                    @GaussianNoise(value = 0.1, from = "extra") Layer noisy;
                    @Concat({"flat", "noisy"}) Layer both;
                    @Dense(units = 6, activation = Activation.SIGMOID) Layer gate;
                    @Multiply({"gate", "noisy"}) Layer gated;
                    @Slice(start = 1, end = 5) Layer part;
                    @Dense(units = 3) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                }
            }
            """;
    private static final String FLUENT = """
            package eq;
            import static kiln.dsl.Activation.RELU;
            import static kiln.dsl.Activation.SIGMOID;
            import static kiln.dsl.Activation.TANH;
            import static kiln.dsl.LossKind.*;
            import static kiln.dsl.fluent.Kiln.gaussianSample;
            import static kiln.dsl.fluent.Kiln.input;
            import static kiln.dsl.fluent.Kiln.minimize;
            import static kiln.dsl.fluent.Kiln.outputs;
            import kiln.dsl.Model;
            import kiln.dsl.Reduction;
            import kiln.dsl.fluent.ModelSpec;
            import kiln.dsl.fluent.Node;
            class Fluent {
                @Model(data = "mnist", epochs = 10, batch = 128, lr = 1e-3, optimizer = "adam")
                static ModelSpec vae() {
                    Node image = input(784).named("image");
                    Node fc1 = image.dense(400, RELU).named("fc1");
                    Node z = gaussianSample(fc1.dense(20).named("mu"), fc1.dense(20).named("logvar")).named("z");
                    Node recon = z.dense(400, RELU).named("fc3").dense(784, SIGMOID).named("recon");
                    return minimize(recon.lossTerm(BINARY_CROSS_ENTROPY).target(image).reduction(Reduction.SUM).named("bce"),
                            z.lossTerm(KL_DIVERGENCE).reduction(Reduction.SUM).named("kl"));
                }

                @Model
                static ModelSpec generator() {
                    return outputs(input(64).named("noise").dense(256).named("g1").leakyRelu(0.2).named("a1")
                            .dense(784, TANH).named("fake"));
                }

                @Model
                static ModelSpec discriminator() {
                    return input(784).named("image").dense(256).named("d1").leakyRelu(0.2).named("a1")
                            .dense(1).named("logit").loss(BINARY_CROSS_ENTROPY_WITH_LOGITS);
                }

                @Model
                static ModelSpec tiedAe() {
                    Node image = input(32).named("image");
                    Node enc = image.dense(8, RELU).named("enc").lrScale(0.5).weightDecay(0);
                    Node dec = enc.dense(32, SIGMOID).named("dec").transposeOf(enc);
                    Node probe = enc.dense(8).named("probe").frozen();
                    return minimize(dec.lossTerm(MSE).target(image).named("recon"),
                            enc.lossTerm(L1_ACTIVITY).weight(0.01).named("sparsity"),
                            probe.lossTerm(MSE).named("probing"));
                }

                @Model
                static ModelSpec twoInputs() {
                    Node image = input(1, 4, 4).named("image");
                    Node extra = image.input(6).named("extra");
                    Node flat = image.maskingNoise(0.25).named("masked").flatten().named("flat");
                    Node noisy = extra.gaussianNoise(0.1).named("noisy");
                    Node gate = flat.concat(noisy).named("both").dense(6, SIGMOID).named("gate");
                    return gate.multiply(noisy).named("gated").slice(1, 5).named("part")
                            .dense(3).named("logits").loss(SOFTMAX_CROSS_ENTROPY);
                }
            }
            """;

    private static final Compilation ANNOTATED_COMPILATION = ModelCompiler.compile("eq.Annotated", ANNOTATED);
    private static final Compilation FLUENT_COMPILATION = ModelCompiler.compile("eq.Fluent", FLUENT);

    @ParameterizedTest
    @CsvSource({"Vae, vae", "Generator, generator", "Discriminator, discriminator", "TiedAe, tiedAe", "TwoInputs, twoInputs"})
    void bothStylesGenerateTheSameModel(String model, String method) {
        String annotated = ModelCompiler.generatedSource(ANNOTATED_COMPILATION, "eq." + model + "Model");
        String fluent = ModelCompiler.generatedSource(FLUENT_COMPILATION, "eq." + model + "Model");
        assertEquals(annotated, fluent.replace("{@link Fluent#" + method + "()}", "{@link Annotated.Vae}".replace("Vae", model)));
    }

    @ParameterizedTest
    @CsvSource({"Generator", "Discriminator", "TiedAe", "TwoInputs"})
    void modelsWithoutDataGetNoMain(String model) {
        for (Compilation c : new Compilation[] {ANNOTATED_COMPILATION, FLUENT_COMPILATION}) {
            assertFalse(c.generatedSourceFiles().stream().anyMatch(f -> f.getName().endsWith(model + "Main.java")),
                    model + " names no data, so it is used from code and gets no main");
        }
    }
}
