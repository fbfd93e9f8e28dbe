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
 * LeNet on CIFAR-10 colour images, 3x32x32 (the PyTorch tutorial's network): conv 6@5x5 (28x28),
 * max-pool 2, conv 16@5x5 (10x10), max-pool 2 (5x5), dense 120, 84, 10. The data are not
 * bundled: pass the directory of the binary version with --data (see Cifar10Source); training
 * batches are randomly cropped and flipped.
 */
@Model(data = "cifar-10", epochs = 20, batch = 64, lr = 0.02, optimizer = "momentum", weightDecay = 5e-4)
public class LeNetCifar {
    @Input({3, 32, 32}) Layer image;
    @Conv2d(outChannels = 6, kernel = 5, activation = Activation.RELU) Layer conv1;
    @MaxPool2d(kernel = 2) Layer pool1;
    @Conv2d(outChannels = 16, kernel = 5, activation = Activation.RELU) Layer conv2;
    @MaxPool2d(kernel = 2) Layer pool2;
    @Flatten Layer features;
    @Dense(units = 120, activation = Activation.RELU) Layer fc1;
    @Dense(units = 84, activation = Activation.RELU) Layer fc2;
    @Dense(units = 10, init = Init.XAVIER_UNIFORM) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
