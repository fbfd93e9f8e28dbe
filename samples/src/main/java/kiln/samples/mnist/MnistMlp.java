package kiln.samples.mnist;

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/** The classic MNIST multi-layer perceptron, 784-256-128-10 with ReLU, trained with SGD momentum and a cosine learning-rate decay. */
@Model(data = "mnist", epochs = 5, batch = 64, lr = 0.05, optimizer = "momentum", schedule = "cosine")
public class MnistMlp {
    @Input(784) Layer image;
    @Dense(units = 256, activation = Activation.RELU) Layer hidden1;
    @Dense(units = 128, activation = Activation.RELU) Layer hidden2;
    @Dense(units = 10, init = kiln.dsl.Init.XAVIER_UNIFORM) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
