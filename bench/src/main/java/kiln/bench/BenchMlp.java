package kiln.bench;

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/** pytorch_bench.py's "mlp": 784-256-128-10 ReLU MLP, softmax CE (mean), SGD lr 0.01, batch 64. */
@Model(data = "mnist", batch = 64, lr = 0.01, optimizer = "sgd")
public class BenchMlp {
    @Input(784) Layer x;
    @Dense(units = 256, activation = Activation.RELU) Layer fc1;
    @Dense(units = 128, activation = Activation.RELU) Layer fc2;
    @Dense(units = 10) Layer fc3;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
