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

/** pytorch_bench.py's "lenet_fmnist": the LeNet of {@link BenchLeNet} on 1x28x28, conv1 1->6 5x5 padding 2. */
@Model(data = "fashion-mnist", batch = 64, lr = 0.01, optimizer = "momentum")
public class BenchLeNetFmnist {
    @Input({1, 28, 28}) Layer x;
    @Conv2d(outChannels = 6, kernel = 5, padding = 2, activation = Activation.RELU) Layer conv1;
    @MaxPool2d(kernel = 2) Layer pool1;
    @Conv2d(outChannels = 16, kernel = 5, activation = Activation.RELU) Layer conv2;
    @MaxPool2d(kernel = 2) Layer pool2;
    @Flatten Layer flat;
    @Dense(units = 120, activation = Activation.RELU) Layer fc1;
    @Dense(units = 84, activation = Activation.RELU) Layer fc2;
    @Dense(units = 10) Layer fc3;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
