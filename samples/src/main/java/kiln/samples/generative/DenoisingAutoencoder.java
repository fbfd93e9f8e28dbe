package kiln.samples.generative;

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.MaskingNoise;
import kiln.dsl.Model;

/**
 * A denoising autoencoder: in training each pixel of the input is masked to 0 with probability
 * 0.5 (the lecture's "corrupted image -> predicted image"), and the reconstruction is scored
 * against the clean image. Its main corrupts the test images the same way and reports the error of
 * the reconstructions beside the error of the corrupted images themselves.
 */
@Model(data = "mnist", epochs = 20, batch = 128, lr = 1e-3, optimizer = "adam")
public class DenoisingAutoencoder {
    /** The share of pixels the corruption masks. */
    public static final double MASKED = 0.5;

    @Input(784) Layer image;
    @MaskingNoise(MASKED) Layer corrupted;
    @Dense(units = 256, activation = Activation.RELU) Layer hidden;
    @Dense(units = 64, activation = Activation.RELU) Layer code;
    @Dense(units = 256, activation = Activation.RELU) Layer expand;
    @Dense(units = 784, activation = Activation.SIGMOID) Layer recon;
    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, target = "image") Layer loss;
}
