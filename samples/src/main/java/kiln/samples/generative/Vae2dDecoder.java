package kiln.samples.generative;

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Model;
import kiln.dsl.Output;

/** The decoder half of {@link Vae2d}: z [2] to an image, for drawing digits from the plane of codes. */
@Model
public class Vae2dDecoder {
    @Input(2) Layer z;
    @Dense(units = 400, activation = Activation.RELU) Layer fc3;
    @Dense(units = 784, activation = Activation.SIGMOID) @Output Layer recon;
}
