package kiln.samples.mnist;

import kiln.dsl.Activate;
import kiln.dsl.Activation;
import kiln.dsl.Add;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/**
 * A residual MLP: two blocks of relu(x + W2 relu(W1 x)), the ResNet idea on dense layers. The
 * identity shortcut lets gradients skip each block, so the deeper net trains as easily as a shallow one.
 */
@Model(data = "mnist", epochs = 5, batch = 64, lr = 0.05, optimizer = "momentum")
public class ResidualMlp {
    @Input(784) Layer image;
    @Dense(units = 128, activation = Activation.RELU) Layer stem;

    @Dense(units = 128, activation = Activation.RELU) Layer block1a;
    @Dense(units = 128) Layer block1b;
    @Add({"stem", "block1b"}) Layer join1;
    @Activate(Activation.RELU) Layer out1;

    @Dense(units = 128, activation = Activation.RELU) Layer block2a;
    @Dense(units = 128) Layer block2b;
    @Add({"out1", "block2b"}) Layer join2;
    @Activate(Activation.RELU) Layer out2;

    @Dense(units = 10, init = kiln.dsl.Init.XAVIER_UNIFORM) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
