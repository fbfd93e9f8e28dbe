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
 * The basic autoencoder with an L1 activity penalty on its code (Keras'
 * {@code activity_regularizer=l1(1e-4)}: the code's absolute values summed per image, averaged
 * over the batch): fewer code units are active per image. Its main reports the mean code
 * activation beside the unpenalised {@link Autoencoder}'s.
 */
@Model(data = "mnist", epochs = 50, batch = 256, lr = 1e-3, optimizer = "adam")
public class SparseAutoencoder implements Report {
    @Input(784) Layer image;
    @Dense(units = 32, activation = Activation.RELU) Layer code;
    @Dense(units = 784, activation = Activation.SIGMOID) Layer recon;
    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, target = "image") Layer reconstruction;
    @Loss(value = LossKind.L1_ACTIVITY, from = "code", weight = 1e-4) Layer sparsity;

    @Override
    public void write(CompiledModel model, Splits data, ReportContext context) throws IOException {
        AutoencoderReport.write(model, data, context, "recon", "code");
    }
}
