package kiln.samples;

import kiln.dsl.Activation;
import kiln.dsl.AvgPool2d;
import kiln.dsl.BatchNorm;
import kiln.dsl.Conv2d;
import kiln.dsl.ConvTranspose2d;
import kiln.dsl.Dense;
import kiln.dsl.Dropout;
import kiln.dsl.GlobalAvgPool2d;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.MaxPool2d;
import kiln.dsl.Model;

/**
 * Every image op in one small network, for the steady-state allocation test: batch norm with a
 * stand-alone max-pool after it, a transposed convolution, a strided convolution, average and
 * global average pooling, dropout.
 */
@Model(data = "mnist")
class ImageOps {
    @Input({1, 28, 28}) Layer image;
    @Conv2d(outChannels = 4, kernel = 3, padding = 1, bias = false) Layer c1;
    @BatchNorm(activation = Activation.RELU) Layer bn1;
    @MaxPool2d(kernel = 2) Layer p1;                                                       // [4, 14, 14]
    @ConvTranspose2d(outChannels = 4, kernel = 2, stride = 2) Layer up;                    // [4, 28, 28]
    @Conv2d(outChannels = 4, kernel = 3, stride = 2, padding = 1, activation = Activation.RELU) Layer c2;
    @AvgPool2d(kernel = 2) Layer p2;                                                       // [4, 7, 7]
    @Dropout(0.25) Layer drop;
    @GlobalAvgPool2d Layer g;
    @Dense(units = 10) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
