package ${package};

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/**
 * A multi-layer perceptron for MNIST digits: 784 pixels, 128 hidden ReLU units, 10 classes.
 * At compile time Kiln checks it and generates {@code MnistMlpModel} (its forward and backward
 * passes) and {@code MnistMlpMain} (its training command line). Without {@code --data DIR} it
 * trains on the 10,000 MNIST images bundled in kiln-runtime: no download.
 */
@Model(data = "mnist", epochs = 3, batch = 64, lr = 0.05, optimizer = "momentum")
public class MnistMlp {
    @Input(784) Layer image;
    @Dense(units = 128, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
