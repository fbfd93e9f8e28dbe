package kiln.samples.generative;

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
public class LinearAutoencoder {
    /** The code size k. */
    public static final int CODE = 16;

    @Input(784) Layer image;
    @Dense(units = CODE, bias = false, init = Init.XAVIER_UNIFORM) Layer code;
    @Dense(units = 784, bias = false, init = Init.XAVIER_UNIFORM) Layer recon;
    @Loss(value = LossKind.MSE, target = "image") Layer loss;
}
