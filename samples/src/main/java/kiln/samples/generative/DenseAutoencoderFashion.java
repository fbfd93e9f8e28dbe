package kiln.samples.generative;

import java.io.IOException;
import kiln.runtime.CompiledModel;
import kiln.runtime.cli.Report;
import kiln.runtime.cli.ReportContext;
import kiln.runtime.data.Splits;
import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/**
 * The dense autoencoder on Fashion-MNIST with the {@link ConvAutoencoder}'s code size (392), for
 * the comparison of the two: the same data, loss, optimizer and epochs.
 */
@Model(data = "fashion-mnist", epochs = 20, batch = 128, lr = 1e-3, optimizer = "adam")
public class DenseAutoencoderFashion implements Report {
    @Input({1, 28, 28}) Layer image;
    @kiln.dsl.Flatten Layer flat;
    @Dense(units = 392, activation = Activation.RELU) Layer code;
    @Dense(units = 784, activation = Activation.SIGMOID) Layer recon;
    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, from = "recon", target = "flat") Layer loss;

    @Override
    public void write(CompiledModel model, Splits data, ReportContext context) throws IOException {
        AutoencoderReport.write(model, data, context, "recon", "code");
    }
}
