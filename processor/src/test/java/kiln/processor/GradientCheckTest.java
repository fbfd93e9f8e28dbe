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
    private static final String HEADER = "package gc;\nimport kiln.dsl.*;\n@Model(data = \"mnist\")\nclass M {\n";

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
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense_identity_mse", "dense_tanh_fused_mse_sum", "relu_standalone_after_shared_dense",
            "sigmoid_bce", "bce_with_logits", "softmax_node_mse", "residual_softmax_ce", "no_bias_with_activation"})
    void backwardMatchesFiniteDifferences(String variant) throws Exception {
        try (CompiledModel model = ModelCompiler.load("gc.M", HEADER + body(variant) + "}\n", 4, 1)) {
            model.initParams(7);
            Batch batch = randomBatch(model, 4, new SplittableRandom(11));
            model.getClass().getField("computeInputGradient").setBoolean(model, true);
            model.forward(batch.x, batch.size);
            model.lossAndGrad(batch);
            model.backward(batch.x, batch.size);

            for (Param p : model.params()) check(variant + " " + p.name, model, batch, p.value, p.grad.clone());
            float[] inputGrad = ((float[]) model.getClass().getMethod("inputGradient").invoke(model)).clone();
            check(variant + " input", model, batch, batch.x, inputGrad);
        }
    }

    /** Compares {@code analytic} with finite differences of the loss in each element of {@code values}. */
    private static void check(String what, CompiledModel model, Batch batch, float[] values, float[] analytic) {
        int n = what.endsWith("input") ? batch.size * model.inputSize() : values.length;
        double h = 1e-2;
        double maxGrad = 1e-3;
        for (int i = 0; i < n; i++) maxGrad = Math.max(maxGrad, Math.abs(analytic[i]));
        for (int i = 0; i < n; i++) {
            float saved = values[i];
            double fd = (-loss(model, batch, values, i, saved + 2 * h) + 8 * loss(model, batch, values, i, saved + h)
                    - 8 * loss(model, batch, values, i, saved - h) + loss(model, batch, values, i, saved - 2 * h)) / (12 * h);
            values[i] = saved;
            double err = Math.abs(fd - analytic[i]);
            assertTrue(err <= 2e-3 * maxGrad + 2e-4,
                    what + "[" + i + "]: backward " + analytic[i] + ", finite difference " + fd + " (error " + err + ")");
        }
    }

    private static double loss(CompiledModel model, Batch batch, float[] values, int i, double v) {
        values[i] = (float) v;
        model.forward(batch.x, batch.size);
        return model.loss(batch);
    }

    /** Inputs in [-1, 1]; labels, binary targets or regression targets as the loss needs. */
    static Batch randomBatch(CompiledModel model, int n, SplittableRandom rnd) {
        Batch b = new Batch(n, model.inputSize(), model.targetSize());
        for (int i = 0; i < n * model.inputSize(); i++) b.x[i] = (float) rnd.nextDouble(-1, 1);
        for (int r = 0; r < n; r++) b.labels[r] = rnd.nextInt(model.outputSize());
        for (int i = 0; i < n * model.targetSize(); i++) {
            b.targets[i] = model.targetKind() == TargetKind.BINARY ? rnd.nextInt(2) : (float) rnd.nextDouble(-1, 1);
        }
        b.size = n;
        return b;
    }
}
