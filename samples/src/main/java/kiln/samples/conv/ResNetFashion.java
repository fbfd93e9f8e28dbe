package kiln.samples.conv;

import kiln.dsl.Activate;
import kiln.dsl.Activation;
import kiln.dsl.Add;
import kiln.dsl.BatchNorm;
import kiln.dsl.Conv2d;
import kiln.dsl.Dense;
import kiln.dsl.GlobalAvgPool2d;
import kiln.dsl.Init;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/**
 * A small ResNet on Fashion-MNIST: a 3x3 stem, then two stages of one residual block each,
 * {@code relu(x + bn(conv(relu(bn(conv(x))))))} with an identity shortcut, the second stage at
 * half the resolution and twice the channels (a stride-2 convolution between the stages), then
 * global average pooling and a dense classifier. Convolutions feeding batch norm have no bias
 * (the norm's own shift replaces it).
 */
@Model(data = "fashion-mnist", epochs = 8, batch = 64, lr = 0.001, optimizer = "adam")
public class ResNetFashion {
    @Input({1, 28, 28}) Layer image;
    @Conv2d(outChannels = 16, kernel = 3, padding = 1, bias = false) Layer stem;
    @BatchNorm(activation = Activation.RELU) Layer stemNorm;                          // [16, 28, 28]

    @Conv2d(outChannels = 16, kernel = 3, padding = 1, bias = false) Layer block1a;
    @BatchNorm(activation = Activation.RELU) Layer block1aNorm;
    @Conv2d(outChannels = 16, kernel = 3, padding = 1, bias = false) Layer block1b;
    @BatchNorm Layer block1bNorm;
    @Add({"stemNorm", "block1bNorm"}) Layer join1;
    @Activate(Activation.RELU) Layer out1;

    @Conv2d(outChannels = 32, kernel = 3, stride = 2, padding = 1, bias = false) Layer down;
    @BatchNorm(activation = Activation.RELU) Layer downNorm;                          // [32, 14, 14]

    @Conv2d(outChannels = 32, kernel = 3, padding = 1, bias = false) Layer block2a;
    @BatchNorm(activation = Activation.RELU) Layer block2aNorm;
    @Conv2d(outChannels = 32, kernel = 3, padding = 1, bias = false) Layer block2b;
    @BatchNorm Layer block2bNorm;
    @Add({"downNorm", "block2bNorm"}) Layer join2;
    @Activate(Activation.RELU) Layer out2;

    @GlobalAvgPool2d Layer pooled;                                                     // [32]
    @Dense(units = 10, init = Init.XAVIER_UNIFORM) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
