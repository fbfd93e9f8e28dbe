package kiln.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.SequenceModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recurrent ops, embedding and one-hot, dense on sequences and the per-step loss: the
 * generated backward pass through time against 5-point central finite differences of the
 * generated forward pass, for every parameter element and every input element (float sequences;
 * token ids have no gradient), as in {@link GradientCheckTest}. Hidden sizes of 17 and more run
 * the vector body of the fused step passes as well as their scalar tail. A token lookup read by a
 * recurrent layer runs both of its paths: the projected table (batch 3 x 6 steps, 7 tokens; a
 * one-hot of 6 over 5 steps) and the per-step path (29 tokens; a one-hot of 20).
 */
class RecurrentGradientCheckTest {
    private static final String HEADER = "package gc;\nimport kiln.dsl.*;\n@Model(data = \"mnist\")\nclass M {\n";
    private static final long DROPOUT_SEED = 99;

    private static String body(String variant) {
        return switch (variant) {
            case "rnn_sequence_dense_per_step" -> """
                    @Input({5, 3}) Layer x;
                    @Rnn(hidden = 4) Layer rnn;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "rnn_wide_stacked_last" -> """
                    @Input({4, 3}) Layer x;
                    @Rnn(hidden = 17, layers = 2, returns = Returns.LAST) Layer rnn;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "lstm_stacked_last" -> """
                    @Input({5, 3}) Layer x;
                    @Lstm(hidden = 18, layers = 2, returns = Returns.LAST) Layer lstm;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "lstm_sequence_tanh_head_mse" -> """
                    @Input({4, 2}) Layer x;
                    @Lstm(hidden = 5) Layer lstm;
                    @Dense(units = 2, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "gru_stacked_sequence_mse" -> """
                    @Input({5, 3}) Layer x;
                    @Gru(hidden = 17, layers = 2) Layer gru;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                    """;
            case "gru_last" -> """
                    @Input({6, 2}) Layer x;
                    @Gru(hidden = 4, returns = Returns.LAST) Layer gru;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "embedding_lstm_language_model" -> """
                    @Input(6) Layer chars;
                    @Embedding(vocab = 7, dim = 3) Layer embed;
                    @Lstm(hidden = 5) Layer lstm;
                    @Dense(units = 7, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "embedding_gru_more_tokens_than_steps" -> """
                    @Input(6) Layer chars;
                    @Embedding(vocab = 29, dim = 3) Layer embed;
                    @Gru(hidden = 4, layers = 2) Layer gru;
                    @Dense(units = 29, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "embedding_wide_dense" -> """
                    @Input(3) Layer chars;
                    @Embedding(vocab = 5, dim = 20) Layer embed;
                    @Dense(units = 5, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "one_hot_gru_last" -> """
                    @Input(5) Layer chars;
                    @OneHot(6) Layer onehot;
                    @Gru(hidden = 4, returns = Returns.LAST) Layer gru;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "one_hot_rnn_more_tokens_than_steps" -> """
                    @Input(5) Layer chars;
                    @OneHot(20) Layer onehot;
                    @Rnn(hidden = 17) Layer rnn;
                    @Dense(units = 20, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            case "lstm_dropout_between_layers" -> """
                    @Input({4, 3}) Layer x;
                    @Lstm(hidden = 17, layers = 3, dropout = 0.3) Layer lstm;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                    """;
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn_sequence_dense_per_step", "rnn_wide_stacked_last", "lstm_stacked_last",
            "lstm_sequence_tanh_head_mse", "gru_stacked_sequence_mse", "gru_last", "embedding_lstm_language_model",
            "embedding_gru_more_tokens_than_steps", "embedding_wide_dense", "one_hot_gru_last", "one_hot_rnn_more_tokens_than_steps",
            "lstm_dropout_between_layers"})
    void backwardThroughTimeMatchesFiniteDifferences(String variant) throws Exception {
        try (CompiledModel model = ModelCompiler.load("gc.M", HEADER + body(variant) + "}\n", 3, 1)) {
            model.initParams(7);
            boolean tokenIds = model.inputShape().length == 1;
            Batch batch = randomBatch(model, 3, tokenIds, new SplittableRandom(11));
            model.setInputGradients(true);
            forward(model, batch);
            model.lossAndGrad(batch);
            model.backward(batch.x, batch.size);

            for (Param p : model.params()) check(variant + " " + p.name, model, batch, p.value, p.grad.clone(), p.size());
            if (!tokenIds) {
                float[] inputGrad = (model.inputGradient(model.inputNames().get(0))).clone();
                check(variant + " input", model, batch, batch.x, inputGrad, batch.size * model.inputSize());
            }
        }
    }

    /** Every forward pass draws the same dropout masks, so the loss is one smooth function of the weights. */
    static void forward(CompiledModel model, Batch batch) {
        model.seedRandom(DROPOUT_SEED);
        model.forward(batch.x, batch.size);
    }

    private static void check(String what, CompiledModel model, Batch batch, float[] values, float[] analytic, int count) {
        double h = 1e-2;
        double maxGrad = 1e-3;
        for (int i = 0; i < count; i++) maxGrad = Math.max(maxGrad, Math.abs(analytic[i]));
        for (int i = 0; i < count; i++) {
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
        forward(model, batch);
        return model.loss(batch);
    }

    /** Float sequences in [-1, 1] or token ids; per-step or per-sample labels, or regression targets. */
    static Batch randomBatch(CompiledModel model, int n, boolean tokenIds, SplittableRandom rnd) {
        Batch b = SequenceModel.batchFor(model, n);
        int vocab = tokenIds ? vocabulary(model) : 0;
        for (int i = 0; i < n * model.inputSize(); i++) b.x[i] = tokenIds ? rnd.nextInt(vocab) : (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.labels.length; i++) b.labels[i] = rnd.nextInt(classes(model));
        for (int i = 0; i < n * model.targetSize(); i++) b.targets[i] = (float) rnd.nextDouble(-1, 1);
        b.size = n;
        return b;
    }

    /** Classes per label: the output's last axis. */
    static int classes(CompiledModel model) {
        return model instanceof SequenceModel s && s.labelsPerSample() > 1 ? model.outputSize() / s.labelsPerSample()
                : model.outputSize();
    }

    /** The vocabulary of a token-id model: the rows of its embedding table, or the one-hot width (W_ih's columns). */
    private static int vocabulary(CompiledModel model) {
        for (Param p : model.params()) if (p.name.equals("embed.weight")) return p.shape()[0];
        for (Param p : model.params()) if (p.name.endsWith(".weight_ih_l0")) return p.shape()[1];
        throw new IllegalArgumentException("no embedding or recurrent layer in " + model.name());
    }
}
