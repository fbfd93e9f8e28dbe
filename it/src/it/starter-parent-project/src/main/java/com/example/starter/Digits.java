package com.example.starter;

import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/** Two hidden layers on the MNIST subset bundled in kiln-runtime. */
@Model(data = "mnist", epochs = 2, batch = 32, lr = 0.05, optimizer = "momentum")
public class Digits {
    @Input(784) Layer image;
    @Dense(units = 64, activation = Activation.RELU) Layer hidden1;
    @Dense(units = 32, activation = Activation.TANH) Layer hidden2;
    @Dense(units = 10) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
