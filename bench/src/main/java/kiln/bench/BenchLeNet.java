package kiln.bench;

import kiln.dsl.Activation;
import kiln.dsl.Conv2d;
import kiln.dsl.Dense;
import kiln.dsl.Flatten;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.MaxPool2d;
import kiln.dsl.Model;

/**
 * pytorch_bench.py's "lenet": CIFAR-10 LeNet (3x32x32), conv 6@5x5, max-pool 2, conv 16@5x5,
 * max-pool 2, dense 120-84-10 with ReLU, softmax CE (mean), SGD lr 0.01 momentum 0.9, batch 64.
 */
@Model(data = "cifar-10", batch = 64, lr = 0.01, optimizer = "momentum")
public class BenchLeNet {
    @Input({3, 32, 32}) Layer x;
    @Conv2d(outChannels = 6, kernel = 5, activation = Activation.RELU) Layer conv1;
    @MaxPool2d(kernel = 2) Layer pool1;
    @Conv2d(outChannels = 16, kernel = 5, activation = Activation.RELU) Layer conv2;
    @MaxPool2d(kernel = 2) Layer pool2;
    @Flatten Layer flat;
    @Dense(units = 120, activation = Activation.RELU) Layer fc1;
    @Dense(units = 84, activation = Activation.RELU) Layer fc2;
    @Dense(units = 10) Layer fc3;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
