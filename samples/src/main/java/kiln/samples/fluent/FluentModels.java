package kiln.samples.fluent;

import static kiln.dsl.Activation.RELU;
import static kiln.dsl.Activation.SIGMOID;
import static kiln.dsl.Activation.TANH;
import static kiln.dsl.Init.XAVIER_UNIFORM;
import static kiln.dsl.LossKind.BINARY_CROSS_ENTROPY;
import static kiln.dsl.LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS;
import static kiln.dsl.LossKind.KL_DIVERGENCE;
import static kiln.dsl.LossKind.SOFTMAX_CROSS_ENTROPY;
import static kiln.dsl.fluent.Kiln.gaussianSample;
import static kiln.dsl.fluent.Kiln.input;
import static kiln.dsl.fluent.Kiln.minimize;
import static kiln.dsl.fluent.Kiln.outputs;

import kiln.dsl.Model;
import kiln.dsl.Reduction;
import kiln.dsl.fluent.ModelSpec;
import kiln.dsl.fluent.Node;

/**
 * MNIST samples of {@code kiln.samples.mnist} and {@code kiln.samples.conv}, written with the
 * fluent DSL. The processor evaluates each method at build time and generates, in this package,
 * the same classes as the annotated twin, named after the method: {@code MnistMlpModel} and
 * {@code MnistMlpMain}, {@code ResidualMlpModel} and {@code ResidualMlpMain}, {@code LeNetMnistModel}
 * and {@code LeNetMnistMain} (identical code but for the comment linking here); and the generative
 * models of {@code kiln.samples.generative}: {@code VaeModel}, {@code GeneratorModel},
 * {@code DiscriminatorModel}.
 */
public final class FluentModels {
    private FluentModels() {}

    static final int HIDDEN = 128;
    static final int BLOCKS = 2;
    static final int LATENT = 20;
    static final int NOISE = 64;

    /** 784-256-128-10 with ReLU, as {@code kiln.samples.mnist.MnistMlp}. */
    @Model(data = "mnist", epochs = 5, batch = 64, lr = 0.05, optimizer = "momentum", schedule = "cosine")
    public static ModelSpec mnistMlp() {
        return input(784).named("image")
                .dense(256, RELU).named("hidden1")
                .dense(128, RELU).named("hidden2")
                .dense(10).init(XAVIER_UNIFORM).named("logits")
                .loss(SOFTMAX_CROSS_ENTROPY);
    }

    /** LeNet-5 on 1x28x28 digits, as {@code kiln.samples.conv.LeNetMnist}: convolutions, pooling, then dense layers. */
    @Model(data = "mnist", epochs = 10, batch = 64, lr = 0.05, optimizer = "momentum")
    public static ModelSpec leNetMnist() {
        return input(1, 28, 28).named("image")
                .conv2d(6, 5, RELU).padding(2).named("conv1")
                .maxPool2d(2).named("pool1")
                .conv2d(16, 5, RELU).named("conv2")
                .maxPool2d(2).named("pool2")
                .flatten().named("features")
                .dense(120, RELU).named("fc1")
                .dense(84, RELU).named("fc2")
                .dense(10).init(XAVIER_UNIFORM).named("logits")
                .loss(SOFTMAX_CROSS_ENTROPY);
    }

    /**
     * Two residual blocks, relu(x + W2 relu(W1 x)), as {@code kiln.samples.mnist.ResidualMlp}: the
     * block is written once and repeated by the loop; the local variable {@code h} carries the
     * shortcut.
     */
    @Model(data = "mnist", epochs = 5, batch = 64, lr = 0.05, optimizer = "momentum")
    public static ModelSpec residualMlp() {
        Node h = input(784).named("image").dense(HIDDEN, RELU).named("stem");
        for (int i = 1; i <= BLOCKS; i++) {
            Node block = h.dense(HIDDEN, RELU).named("block" + i + "a")
                    .dense(HIDDEN).named("block" + i + "b");
            h = h.add(block).named("join" + i).relu().named("out" + i);
        }
        return h.dense(10).init(XAVIER_UNIFORM).named("logits").loss(SOFTMAX_CROSS_ENTROPY);
    }

    /** PyTorch's example VAE, as {@code kiln.samples.generative.Vae}: two loss terms, a reparameterised sample. */
    @Model(data = "mnist", epochs = 10, batch = 128, lr = 1e-3, optimizer = "adam")
    public static ModelSpec vae() {
        Node image = input(784).named("image");
        Node fc1 = image.dense(400, RELU).named("fc1");
        Node mu = fc1.dense(LATENT).named("mu").output();
        Node z = gaussianSample(mu, fc1.dense(LATENT).named("logvar")).named("z");
        Node recon = z.dense(400, RELU).named("fc3").dense(784, SIGMOID).named("recon").output();
        return minimize(recon.lossTerm(BINARY_CROSS_ENTROPY).target(image).reduction(Reduction.SUM).named("bce"),
                z.lossTerm(KL_DIVERGENCE).reduction(Reduction.SUM).named("kl"));
    }

    /** The GAN's generator, as {@code kiln.samples.generative.Generator}: no loss, an output driven by the discriminator. */
    @Model
    public static ModelSpec generator() {
        return outputs(input(NOISE).named("z")
                .dense(256).named("g1").leakyRelu(0.2).named("a1")
                .dense(512).named("g2").leakyRelu(0.2).named("a2")
                .dense(784, TANH).named("fake"));
    }

    /** The GAN's discriminator, as {@code kiln.samples.generative.Discriminator}. */
    @Model
    public static ModelSpec discriminator() {
        return input(784).named("image")
                .dense(512).named("d1").leakyRelu(0.2).named("a1")
                .dense(256).named("d2").leakyRelu(0.2).named("a2")
                .dense(1).named("logit")
                .loss(BINARY_CROSS_ENTROPY_WITH_LOGITS);
    }
}
