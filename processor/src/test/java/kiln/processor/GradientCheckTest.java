package kiln.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every op and loss: the generated backward pass against 5-point central finite differences of
 * the generated forward pass, for every parameter element and every input element. The loss is
 * summed in double; the network runs in float32, so the step is 1e-2 and the tolerance is set
 * by float rounding (a wrong rule is off by far more).
 */
class GradientCheckTest {
    private static final String HEADER = "package gc;\nimport kiln.dsl.*;\n@Model\nclass M {\n";

    /** One model per op variant: fused and standalone activations, joins, every loss. */
    private static String body(String variant) {
        return switch (variant) {
            case "dense_identity_mse" -> """
                    @Input(5) Layer x;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "dense_tanh_fused_mse_sum" -> """
                    @Input(5) Layer x;
                    @Dense(units = 4, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer h;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE_SUM) Layer loss;
                    """;
            case "relu_standalone_after_shared_dense" -> """
                    @Input(5) Layer x;
                    @Dense(units = 4, init = Init.XAVIER_NORMAL) Layer pre;
                    @Activate(Activation.RELU) Layer r;
                    @Activate(value = Activation.TANH, from = "pre") Layer t;
                    @Add({"r", "t"}) Layer s;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "sigmoid_bce" -> """
                    @Input(5) Layer x;
                    @Dense(units = 4, activation = Activation.SIGMOID, init = Init.XAVIER_NORMAL) Layer h;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer z;
                    @Activate(Activation.SIGMOID) Layer p;
                    @Loss(LossKind.BINARY_CROSS_ENTROPY) Layer loss;
                    """;
            case "bce_with_logits" -> """
                    @Input(5) Layer x;
                    @Dense(units = 3, activation = Activation.RELU, init = Init.XAVIER_NORMAL) Layer h;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer z;
                    @Loss(LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS) Layer loss;
                    """;
            case "softmax_node_mse" -> """
                    @Input(5) Layer x;
                    @Dense(units = 4, init = Init.XAVIER_NORMAL) Layer z;
                    @Activate(Activation.SOFTMAX) Layer p;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "residual_softmax_ce" -> """
                    @Input(6) Layer x;
                    @Dense(units = 6, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer a;
                    @Dense(units = 6, init = Init.XAVIER_NORMAL) Layer b;
                    @Add({"x", "b", "x"}) Layer join;
                    @Activate(Activation.SIGMOID) Layer s;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "no_bias_with_activation" -> """
                    @Input(5) Layer x;
                    @Dense(units = 4, bias = false, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer h;
                    @Dense(units = 3, bias = false, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "conv_strided_padded_im2col" -> """
                    @Input({2, 7, 7}) Layer x;
                    @Conv2d(outChannels = 3, kernel = 3, stride = 2, padding = 1, activation = Activation.TANH,
                            init = Init.XAVIER_NORMAL) Layer c;
                    @Flatten Layer f;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "conv_fused_tanh_avgpool" -> """
                    @Input({2, 6, 6}) Layer x;
                    @Conv2d(outChannels = 3, kernel = 3, padding = 1, init = Init.XAVIER_NORMAL) Layer c;
                    @Activate(Activation.TANH) Layer t;
                    @AvgPool2d(kernel = 2) Layer p;
                    @Flatten Layer f;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "conv_fused_tanh_maxpool" -> """
                    @Input({1, 4, 4}) Layer x;
                    @Conv2d(outChannels = 2, kernel = 3, padding = 1, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer c;
                    @MaxPool2d(kernel = 2) Layer p;
                    @Flatten Layer f;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "maxpool_standalone_overlapping" -> """
                    @Input({2, 5, 5}) Layer x;
                    @MaxPool2d(kernel = 3, stride = 2) Layer p;
                    @Flatten Layer f;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "global_avg_pool" -> """
                    @Input({3, 4, 4}) Layer x;
                    @Conv2d(outChannels = 4, kernel = 3, padding = 1, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer c;
                    @GlobalAvgPool2d Layer g;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "conv_transpose_sigmoid_bce" -> """
                    @Input({2, 3, 3}) Layer x;
                    @ConvTranspose2d(outChannels = 3, kernel = 2, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer up1;
                    @ConvTranspose2d(outChannels = 2, kernel = 3, stride = 2, padding = 1, outputPadding = 1,
                            init = Init.XAVIER_NORMAL) Layer up2;
                    @Activate(Activation.SIGMOID) Layer p;
                    @Loss(LossKind.BINARY_CROSS_ENTROPY) Layer loss;
                    """;
            case "batch_norm_2d_training", "batch_norm_2d_inference" -> """
                    @Input({2, 3, 3}) Layer x;
                    @Conv2d(outChannels = 3, kernel = 3, padding = 1, bias = false, init = Init.XAVIER_NORMAL) Layer c;
                    @BatchNorm(activation = Activation.TANH) Layer bn;
                    @Flatten Layer f;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "batch_norm_1d_on_input" -> """
                    @Input(6) Layer x;
                    @BatchNorm(momentum = 0.5) Layer bn0;
                    @Dense(units = 5, init = Init.XAVIER_NORMAL) Layer h;
                    @BatchNorm Layer bn;
                    @Activate(Activation.TANH) Layer t;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "dropout_fixed_mask" -> """
                    @Input(6) Layer x;
                    @Dropout(0.3) Layer d0;
                    @Dense(units = 8, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer h;
                    @Dropout(0.5) Layer d;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "residual_feature_maps" -> """
                    @Input({2, 4, 4}) Layer x;
                    @Conv2d(outChannels = 2, kernel = 3, padding = 1, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer a;
                    @Conv2d(outChannels = 2, kernel = 3, padding = 1, init = Init.XAVIER_NORMAL) Layer b;
                    @Add({"x", "b"}) Layer join;
                    @Activate(Activation.TANH) Layer out;
                    @Flatten Layer f;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "flatten_shares_buffers_with_other_readers" -> """
                    @Input({2, 4, 4}) Layer x;
                    @Conv2d(outChannels = 2, kernel = 3, padding = 1, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer c;
                    @Flatten Layer fc;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer d1;
                    @GlobalAvgPool2d(from = "c") Layer g;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer d2;
                    @Flatten(from = "x") Layer fx;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer d3;
                    @Add({"d1", "d2", "d3"}) Layer s;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "noise_gaussian_and_masking" -> """
                    @Input(6) Layer x;
                    @GaussianNoise(0.3) Layer noisy;
                    @Dense(units = 5, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer h;
                    @MaskingNoise(0.3) Layer masked;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "vae_sample_kl_bce_against_input" -> """
                    @Input(6) Layer x;
                    @Dense(units = 5, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer h;
                    @Dense(units = 2, from = "h", init = Init.XAVIER_NORMAL) Layer mu;
                    @Dense(units = 2, from = "h", init = Init.XAVIER_NORMAL) Layer logvar;
                    @GaussianSample(mean = "mu", logVariance = "logvar") Layer z;
                    @Dense(units = 6, activation = Activation.SIGMOID, init = Init.XAVIER_NORMAL) Layer recon;
                    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, target = "x", reduction = Reduction.SUM) Layer bce;
                    @Loss(value = LossKind.KL_DIVERGENCE, from = "z", weight = 0.5) Layer kl;
                    """;
            case "multiply_concat_slice_leaky_relu" -> """
                    @Input(6) Layer x;
                    @Dense(units = 4, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer a;
                    @Dense(units = 4, from = "x", activation = Activation.SIGMOID, init = Init.XAVIER_NORMAL) Layer b;
                    @Multiply({"a", "b", "a"}) Layer m;
                    @Concat({"m", "x"}) Layer c;
                    @Slice(start = 2, end = 8) Layer s;
                    @LeakyRelu(slope = 0.1) Layer l;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "concat_channels_of_images" -> """
                    @Input({1, 4, 4}) Layer x;
                    @Conv2d(outChannels = 2, kernel = 3, padding = 1, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer c;
                    @Concat(value = {"c", "x"}, axis = 0) Layer both;
                    @Slice(from = "both", axis = 1, start = 1, end = 3) Layer rows;
                    @Flatten Layer f;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "activity_penalties" -> """
                    @Input(6) Layer x;
                    @Dense(units = 4, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer code;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    @Loss(value = LossKind.L1_ACTIVITY, from = "code", weight = 0.1) Layer sparsity;
                    @Loss(value = LossKind.L2_ACTIVITY, from = "code", weight = 0.05, reduction = Reduction.MEAN) Layer small;
                    """;
            case "two_inputs" -> """
                    @Input(3) Layer a;
                    @Input(4) Layer b;
                    @Dense(units = 3, from = "b", activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer hb;
                    @Concat({"a", "hb"}) Layer both;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "tied_transpose_and_shared_weights" -> """
                    @Input(6) Layer x;
                    @Dense(units = 3, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer enc;
                    @Dense(units = 6) @Params(transposeOf = "enc") Layer dec;
                    @Dense(units = 3, activation = Activation.TANH) @Params(sharedWith = "enc") Layer again;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    @Loss(value = LossKind.MSE, from = "dec", target = "x", weight = 0.5) Layer recon;
                    """;
            case "frozen_layer_and_node_target" -> """
                    @Input(6) Layer x;
                    @Dense(units = 4, activation = Activation.TANH, init = Init.XAVIER_NORMAL) @Params(frozen = true) Layer a;
                    @Dense(units = 4, init = Init.XAVIER_NORMAL) Layer b;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    @Loss(value = LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS, from = "b", target = "a", reduction = Reduction.BATCH_MEAN) Layer match;
                    """;
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense_identity_mse", "dense_tanh_fused_mse_sum", "relu_standalone_after_shared_dense",
            "sigmoid_bce", "bce_with_logits", "softmax_node_mse", "residual_softmax_ce", "no_bias_with_activation",
            "conv_strided_padded_im2col", "conv_fused_tanh_avgpool", "conv_fused_tanh_maxpool", "maxpool_standalone_overlapping",
            "global_avg_pool", "conv_transpose_sigmoid_bce", "batch_norm_2d_training", "batch_norm_2d_inference",
            "batch_norm_1d_on_input", "dropout_fixed_mask", "residual_feature_maps", "flatten_shares_buffers_with_other_readers",
            "noise_gaussian_and_masking", "vae_sample_kl_bce_against_input", "multiply_concat_slice_leaky_relu",
            "concat_channels_of_images", "activity_penalties", "two_inputs", "tied_transpose_and_shared_weights",
            "frozen_layer_and_node_target"})
    void backwardMatchesFiniteDifferences(String variant) throws Exception {
        try (CompiledModel model = ModelCompiler.load("gc.M", HEADER + body(variant) + "}\n", 4, 1)) {
            model.initParams(7);
            Batch batch = randomBatch(model, 4, new SplittableRandom(11));
            if (variant.contains("maxpool")) spaceWindowValues(batch.x, batch.size * model.inputSize());
            if (variant.startsWith("vae")) for (int i = 0; i < batch.size * model.inputSize(); i++) batch.x[i] = (batch.x[i] + 1) / 2;
            if (variant.endsWith("_inference")) {
                for (int i = 0; i < 3; i++) { // move the running statistics away from 0 and 1, then freeze them
                    model.forward(batch);
                    batch.x[i] += 0.5f;
                }
                model.setTraining(false);
            }
            model.setInputGradients(true);
            model.seedRandom(5);
            model.forward(batch);
            model.lossAndGrad(batch);
            model.backward();

            for (Param p : model.params()) {
                if (p.frozen()) {
                    for (float g : p.grad) assertTrue(g == 0, p.name + " is frozen, yet backward wrote its gradient");
                    continue;
                }
                check(variant + " " + p.name, model, batch, p.value, p.grad.clone(), p.size());
            }
            for (int k = 0; k < batch.inputs.length; k++) {
                String name = model.inputNames().get(k);
                check(variant + " input " + name, model, batch, batch.inputs[k], model.inputGradient(name).clone(),
                        batch.size * batch.inputSize(k));
            }
        }
    }

    /**
     * Compares {@code analytic} with finite differences of the loss in each element of {@code values}.
     * Where they disagree, the difference is taken again with half the step: if the two differences
     * disagree with each other too, the loss is not smooth within the steps (a ReLU or a max-pool's
     * arg-max switches there) and the element is skipped; at most a quarter may be.
     */
    private static void check(String what, CompiledModel model, Batch batch, float[] values, float[] analytic, int n) {
        double h = 1e-2;
        double maxGrad = 1e-3;
        for (int i = 0; i < n; i++) maxGrad = Math.max(maxGrad, Math.abs(analytic[i]));
        double tolerance = 2e-3 * maxGrad + 2e-4;
        int kinks = 0;
        for (int i = 0; i < n; i++) {
            double fd = difference(model, batch, values, i, h);
            double err = Math.abs(fd - analytic[i]);
            if (err > tolerance && Math.abs(difference(model, batch, values, i, h / 2) - fd) > tolerance / 2) {
                kinks++;
                continue;
            }
            assertTrue(err <= tolerance,
                    what + "[" + i + "]: backward " + analytic[i] + ", finite difference " + fd + " (error " + err + ")");
        }
        // one near-tie in a max-pool window moves with every weight of the convolution before it
        assertTrue(kinks <= n / 4, what + ": the loss is not smooth around " + kinks + " of " + n + " elements");
    }

    /** 5-point central difference of the loss in element i of {@code values}, with step h. */
    private static double difference(CompiledModel model, Batch batch, float[] values, int i, double h) {
        float saved = values[i];
        double fd = (-loss(model, batch, values, i, saved + 2 * h) + 8 * loss(model, batch, values, i, saved + h)
                - 8 * loss(model, batch, values, i, saved - h) + loss(model, batch, values, i, saved - 2 * h)) / (12 * h);
        values[i] = saved;
        return fd;
    }

    /** The loss with one value changed; dropout draws the same mask every time (the stream is reseeded). */
    private static double loss(CompiledModel model, Batch batch, float[] values, int i, double v) {
        values[i] = (float) v;
        model.seedRandom(5);
        model.forward(batch);
        return model.loss(batch);
    }

    /**
     * Replaces inputs by distinct multiples of 1/20 (up to 41 apart, a permutation), so that no
     * pooling window holds two values closer than the finite-difference steps reach: the arg-max
     * never switches mid-difference.
     */
    private static void spaceWindowValues(float[] x, int n) {
        for (int i = 0; i < n; i++) x[i] = ((i * 17) % 41) / 20f - 1f;
    }

    /** Inputs in [-1, 1]; labels, binary targets or regression targets as the loss needs. */
    static Batch randomBatch(CompiledModel model, int n, SplittableRandom rnd) {
        Batch b = Batch.forModel(model, n);
        for (int k = 0; k < b.inputs.length; k++) {
            for (int i = 0; i < n * b.inputSize(k); i++) b.inputs[k][i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int r = 0; r < n; r++) b.labels[r] = rnd.nextInt(model.outputSize());
        for (int i = 0; i < n * model.targetSize(); i++) {
            b.targets[i] = model.targetKind() == TargetKind.BINARY ? rnd.nextInt(2) : (float) rnd.nextDouble(-1, 1);
        }
        b.size = n;
        return b;
    }
}
