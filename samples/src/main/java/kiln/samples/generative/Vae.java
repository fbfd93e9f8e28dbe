package kiln.samples.generative;

import java.io.IOException;
import kiln.runtime.CompiledModel;
import kiln.runtime.cli.Report;
import kiln.runtime.cli.ReportContext;
import kiln.runtime.data.Splits;
import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.GaussianSample;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;
import kiln.dsl.Output;
import kiln.dsl.Reduction;

/**
 * Exactly the VAE of PyTorch's examples: 784-400 ReLU, 400-20 means and 400-20 log-variances, a
 * reparameterised sample, 20-400 ReLU, 400-784 sigmoid; the loss is the binary cross-entropy
 * summed over pixels and images plus the KL divergence summed (the example's per-batch sum); Adam
 * 1e-3, batch 128, 10 epochs. The example prints the test-set negative ELBO per image in nats
 * (about 106.7 at epoch 7). Its main prints the same figure after training, and {@code --sample N}
 * writes N digits decoded from N(0, I) by the trained decoder ({@link VaeDecoder}).
 */
@Model(data = "mnist", epochs = 10, batch = 128, lr = 1e-3, optimizer = "adam")
public class Vae implements Report {
    /** The latent size. */
    public static final int LATENT = 20;

    @Input(784) Layer image;
    @Dense(units = 400, activation = Activation.RELU) Layer fc1;
    @Dense(units = LATENT, from = "fc1") @Output Layer mu;
    @Dense(units = LATENT, from = "fc1") Layer logvar;
    @GaussianSample(mean = "mu", logVariance = "logvar") Layer z;
    @Dense(units = 400, activation = Activation.RELU) Layer fc3;
    @Dense(units = 784, activation = Activation.SIGMOID) @Output Layer recon;
    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, target = "image", reduction = Reduction.SUM) Layer bce;
    @Loss(value = LossKind.KL_DIVERGENCE, from = "z", reduction = Reduction.SUM) Layer kl;

    @Override
    public void write(CompiledModel model, Splits data, ReportContext context) throws IOException {
        try (CompiledModel decoder = new VaeDecoderModel(64, model.threads())) {
            VaeReport.write(model, decoder, LATENT, data, context);
        }
    }

    @Override
    public boolean generates() {
        return true;
    }
}
