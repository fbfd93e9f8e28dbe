package kiln.samples.generative;

import java.io.IOException;
import kiln.runtime.CompiledModel;
import kiln.runtime.cli.Report;
import kiln.runtime.cli.ReportContext;
import kiln.runtime.data.Splits;
import kiln.runtime.analysis.PrincipalSubspace;
import kiln.runtime.analysis.SubspaceComparison;
import kiln.dsl.Dense;
import kiln.dsl.Init;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/**
 * The lecture's linear autoencoder: 784 -> 16 -> 784 with identity activations and no biases,
 * trained on squared error against its own input. Such a network finds the principal subspace:
 * at the optimum the decoder's 16 columns span the top 16 right singular vectors of the training
 * images, and its error is the rank-16 SVD's. Its main checks both after training.
 */
@Model(data = "mnist", epochs = 20, batch = 128, lr = 1e-3, optimizer = "adam")
public class LinearAutoencoder implements Report {
    /** The code size k. */
    public static final int CODE = 16;

    @Input(784) Layer image;
    @Dense(units = CODE, bias = false, init = Init.XAVIER_UNIFORM) Layer code;
    @Dense(units = 784, bias = false, init = Init.XAVIER_UNIFORM) Layer recon;
    @Loss(value = LossKind.MSE, target = "image") Layer loss;

    /**
     * Compares the trained decoder with the SVD of the training images: the cosines of the
     * principal angles between the span of its 16 columns and the top 16 right singular vectors,
     * and its mean squared error on the training images beside the rank-16 optimum's.
     */
    @Override
    public void write(CompiledModel model, Splits data, ReportContext context) throws IOException {
        PrincipalSubspace svd = PrincipalSubspace.of(data.train().x(), data.train().size(), 784);
        SubspaceComparison comparison = SubspaceComparison.ofDecoder(svd, model.param("recon.weight").value, 784, CODE);
        double mse = Reconstructions.of(model, data.train(), "recon", null, 0).mse();
        context.out().println("against the SVD of the " + data.train().size() + " training images, " + comparison.describe(mse));
        AutoencoderReport.write(model, data, context, "recon", null);
    }
}
