package kiln.samples.generative;

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
public class DenseAutoencoderFashion {
    @Input({1, 28, 28}) Layer image;
    @kiln.dsl.Flatten Layer flat;
    @Dense(units = 392, activation = Activation.RELU) Layer code;
    @Dense(units = 784, activation = Activation.SIGMOID) Layer recon;
    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, from = "recon", target = "flat") Layer loss;
}
