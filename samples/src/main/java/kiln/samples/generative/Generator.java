package kiln.samples.generative;

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.LeakyRelu;
import kiln.dsl.Model;
import kiln.dsl.Output;

/**
 * The GAN's generator, as the {@code gan} workload of {@code pytorch_bench.py}: noise z (64) to
 * 256 and 512 units with LeakyReLU 0.2, then 784 pixels through tanh, in [-1, 1]. It has no loss of
 * its own: {@link GanMain} trains it through the discriminator's input gradient.
 */
@Model
public class Generator {
    /** The size of the noise it reads. */
    public static final int NOISE = 64;

    @Input(NOISE) Layer z;
    @Dense(units = 256) Layer g1;
    @LeakyRelu(slope = 0.2) Layer a1;
    @Dense(units = 512) Layer g2;
    @LeakyRelu(slope = 0.2) Layer a2;
    @Dense(units = 784, activation = Activation.TANH) @Output Layer fake;
}
