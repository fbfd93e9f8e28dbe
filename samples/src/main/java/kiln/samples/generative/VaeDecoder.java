package kiln.samples.generative;

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Model;
import kiln.dsl.Output;

/**
 * The decoder half of {@link Vae}, a model used from code (no data, no loss): z [20] to an image.
 * The VAE's main copies the trained {@code fc3} and {@code recon} weights into it, by name, and
 * decodes draws of N(0, I) into new digits.
 */
@Model
public class VaeDecoder {
    @Input(Vae.LATENT) Layer z;
    @Dense(units = 400, activation = Activation.RELU) Layer fc3;
    @Dense(units = 784, activation = Activation.SIGMOID) @Output Layer recon;
}
