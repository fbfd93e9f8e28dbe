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
 * {@link Vae} with a 2-dimensional code, so that the codes of the test images can be drawn: its
 * main writes them, coloured by digit, next to the checkpoint ({@code .codes.png}).
 */
@Model(data = "mnist", epochs = 10, batch = 128, lr = 1e-3, optimizer = "adam")
public class Vae2d implements Report {
    /** The latent size. */
    public static final int LATENT = 2;

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
        try (CompiledModel decoder = new Vae2dDecoderModel(64, model.threads())) {
            VaeReport.write(model, decoder, LATENT, data, context);
        }
    }

    @Override
    public boolean generates() {
        return true;
    }
}
