package kiln.samples.generative;

import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.LeakyRelu;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/**
 * The GAN's discriminator, as the {@code gan} workload of {@code pytorch_bench.py}: 784 pixels in
 * [-1, 1] to 512 and 256 units with LeakyReLU 0.2, then one logit, scored with binary cross-entropy
 * on logits (1: a real image, 0: a generated one).
 */
@Model
public class Discriminator {
    @Input(784) Layer image;
    @Dense(units = 512) Layer d1;
    @LeakyRelu(slope = 0.2) Layer a1;
    @Dense(units = 256) Layer d2;
    @LeakyRelu(slope = 0.2) Layer a2;
    @Dense(units = 1) Layer logit;
    @Loss(LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS) Layer loss;
}
