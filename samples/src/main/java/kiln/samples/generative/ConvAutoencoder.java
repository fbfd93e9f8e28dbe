package kiln.samples.generative;

import java.io.IOException;
import kiln.runtime.CompiledModel;
import kiln.runtime.cli.Report;
import kiln.runtime.cli.ReportContext;
import kiln.runtime.data.Splits;
import kiln.dsl.Activation;
import kiln.dsl.Conv2d;
import kiln.dsl.ConvTranspose2d;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/**
 * A convolutional autoencoder on Fashion-MNIST (the lecture's deconvolutional network):
 * strided convolutions down to a [8, 7, 7] code (392 values), transposed convolutions back up to
 * [1, 28, 28], per-pixel binary cross-entropy against the input. {@link DenseAutoencoderFashion},
 * a dense 784-392-784 autoencoder, is the comparison with a code of the same size.
 */
@Model(data = "fashion-mnist", epochs = 20, batch = 128, lr = 1e-3, optimizer = "adam")
public class ConvAutoencoder implements Report {
    @Input({1, 28, 28}) Layer image;
    @Conv2d(outChannels = 32, kernel = 3, stride = 2, padding = 1, activation = Activation.RELU) Layer down1;
    @Conv2d(outChannels = 8, kernel = 3, stride = 2, padding = 1, activation = Activation.RELU) Layer code;
    @ConvTranspose2d(outChannels = 32, kernel = 3, stride = 2, padding = 1, outputPadding = 1,
            activation = Activation.RELU) Layer up1;
    @ConvTranspose2d(outChannels = 1, kernel = 3, stride = 2, padding = 1, outputPadding = 1,
            activation = Activation.SIGMOID) Layer recon;
    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, target = "image") Layer loss;

    @Override
    public void write(CompiledModel model, Splits data, ReportContext context) throws IOException {
        AutoencoderReport.write(model, data, context, "recon", "code");
    }
}
