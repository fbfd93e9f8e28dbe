package com.example.bom;

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/** One wide hidden layer on the MNIST subset bundled in kiln-runtime. */
@Model(data = "mnist", epochs = 2, batch = 64, lr = 0.1, optimizer = "sgd")
public class Wide {
    @Input(784) Layer image;
    @Dense(units = 96, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
