package kiln.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.SequenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Truncated backpropagation through time: the carried state continues a sequence exactly, the
 * gradient stops at the chunk boundary (the carried state is a constant), a sequence that fits in
 * one chunk gets the same gradients as full backpropagation, a short last chunk equals a model
 * compiled for that length, and the multi-threaded time loop equals the single-threaded one.
 */
class TruncatedBpttTest {
    private static final int VOCAB = 7;

    /** A character model over {@code steps} token ids: embedding, two stacked cells, a head on every step. */
    private static String source(String name, String cell, int steps, int hidden) {
        return """
                package tb;
                import kiln.dsl.*;
                @Model(data = "mnist")
                class %s {
                    @Input(%d) Layer chars;
                    @Embedding(vocab = %d, dim = 5) Layer embed;
                    @%s(hidden = %d, layers = 2) Layer cell;
                    @Dense(units = %d, init = Init.XAVIER_NORMAL) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                }
                """.formatted(name, steps, VOCAB, cell, hidden, VOCAB);
    }

    private static CompiledModel model(String cell, int steps, int hidden, int maxBatch, int threads) {
        String name = cell + steps + "x" + hidden;
        CompiledModel m = ModelCompiler.load("tb." + name, source(name, cell, steps, hidden), maxBatch, threads);
        m.initParams(5);
        return m;
    }

    /** Token ids and next-token labels of a random text, rows of {@code steps} from {@code text} at {@code start}. */
    private static Batch chunk(CompiledModel model, int[][] text, int start, int steps) {
        Batch b = SequenceModel.batchFor(model, text.length);
        int width = ((SequenceModel) model).timeSteps();
        for (int r = 0; r < text.length; r++) {
            for (int t = 0; t < steps; t++) {
                b.x[r * width + t] = text[r][start + t];
                b.labels[r * width + t] = text[r][start + t + 1];
            }
        }
        b.size = text.length;
        return b;
    }

    private static int[][] text(int rows, int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] text = new int[rows][length];
        for (int[] row : text) for (int i = 0; i < length; i++) row[i] = rnd.nextInt(VOCAB);
        return text;
    }

    private static float step(CompiledModel model, Batch batch) {
        model.forward(batch.x, batch.size);
        float loss = model.lossAndGrad(batch);
        model.backward(batch.x, batch.size);
        return loss;
    }

    private static List<float[]> grads(CompiledModel model) {
        List<float[]> out = new ArrayList<>();
        for (Param p : model.params()) out.add(p.grad.clone());
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lstm", "Gru", "Rnn"})
    void aSequenceThatFitsOneChunkGetsTheGradientsOfFullBackpropagation(String cell) {
        int[][] text = text(3, 9, 1);
        try (CompiledModel model = model(cell, 8, 6, 3, 1)) {
            SequenceModel seq = (SequenceModel) model;
            Batch batch = chunk(model, text, 0, 8);
            float full = step(model, batch);
            List<float[]> expected = grads(model);

            seq.resetState();
            seq.setCarryState(true); // truncated BPTT: one chunk, from the reset (zero) state
            float truncated = step(model, batch);
            assertEquals(full, truncated);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), model.params().get(i).grad, model.params().get(i).name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lstm", "Gru"})
    void theCarriedStateContinuesTheSequenceExactly(String cell) throws Exception {
        int[][] text = text(2, 9, 2);
        float[] whole;
        try (CompiledModel full = model(cell, 8, 6, 2, 1)) {
            full.forward(chunk(full, text, 0, 8).x, 2);
            whole = full.activation("logits").clone();
        }
        try (CompiledModel half = model(cell, 4, 6, 2, 1)) {
            SequenceModel seq = (SequenceModel) half;
            seq.setCarryState(true);
            seq.resetState();
            half.forward(chunk(half, text, 0, 4).x, 2);
            half.forward(chunk(half, text, 4, 4).x, 2);
            float[] second = half.activation("logits").clone();
            for (int r = 0; r < 2; r++) {
                for (int i = 0; i < 4 * VOCAB; i++) {
                    assertEquals(whole[(r * 8 + 4) * VOCAB + i], second[r * 4 * VOCAB + i], 1e-6, "row " + r + " logit " + i);
                }
            }
        }
    }

    /**
     * After a first chunk, the second chunk's backward is the gradient of its loss with the carried
     * state held constant: finite differences that restore the carried state before every forward.
     */
    @Test
    void theGradientStopsAtTheChunkBoundary() throws Exception {
        int[][] text = text(2, 9, 3);
        try (CompiledModel model = model("Lstm", 4, 5, 2, 1)) {
            SequenceModel seq = (SequenceModel) model;
            seq.setCarryState(true);
            seq.resetState();
            model.forward(chunk(model, text, 0, 4).x, 2);
            float[] h = seq.carriedState().get(0).clone(), c = seq.carriedState().get(1).clone();
            Batch second = chunk(model, text, 4, 4);
            step(model, second);
            for (Param p : model.params()) {
                float[] analytic = p.grad.clone();
                double maxGrad = 1e-3;
                for (float g : analytic) maxGrad = Math.max(maxGrad, Math.abs(g));
                for (int i = 0; i < p.size(); i += 3) {
                    float saved = p.value[i];
                    double e = 1e-2;
                    double fd = (-loss(model, second, p, i, saved + 2 * e, h, c) + 8 * loss(model, second, p, i, saved + e, h, c)
                            - 8 * loss(model, second, p, i, saved - e, h, c) + loss(model, second, p, i, saved - 2 * e, h, c))
                            / (12 * e);
                    p.value[i] = saved;
                    assertTrue(Math.abs(fd - analytic[i]) <= 2e-3 * maxGrad + 2e-4,
                            p.name + "[" + i + "]: backward " + analytic[i] + ", finite difference " + fd);
                }
            }
        }
    }

    /** The second chunk's loss from the carried state {@code h, c} (restored first), with p[i] = v. */
    private static double loss(CompiledModel model, Batch batch, Param p, int i, double v, float[] h, float[] c)
            throws ReflectiveOperationException {
        p.value[i] = (float) v;
        List<float[]> state = ((SequenceModel) model).carriedState();
        System.arraycopy(h, 0, state.get(0), 0, h.length);
        System.arraycopy(c, 0, state.get(1), 0, c.length);
        model.forward(batch.x, batch.size);
        return model.loss(batch);
    }


    @ParameterizedTest
    @ValueSource(strings = {"Lstm", "Gru"})
    void aShortLastChunkEqualsAModelCompiledForItsLength(String cell) {
        int[][] text = text(3, 9, 4);
        float shortLoss;
        List<float[]> expected;
        try (CompiledModel exact = model(cell, 5, 6, 3, 1)) {
            shortLoss = step(exact, chunk(exact, text, 0, 5));
            expected = grads(exact);
        }
        try (CompiledModel longer = model(cell, 8, 6, 3, 1)) {
            Batch batch = chunk(longer, text, 0, 8); // steps 5..7 hold tokens the loss must ignore
            ((SequenceModel) longer).setActiveSteps(5);
            assertEquals(shortLoss, step(longer, batch), 1e-6);
            for (int i = 0; i < expected.size(); i++) {
                Tolerance.assertClose(longer.params().get(i).name, toDouble(expected.get(i)), longer.params().get(i).grad,
                        1e-6, 1e-5);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lstm", "Gru", "Rnn"})
    void twoThreadsComputeWhatOneDoes(String cell) {
        int[][] text = text(16, 7, 5);
        float one;
        List<float[]> expected;
        try (CompiledModel single = model(cell, 6, 72, 16, 1)) {
            one = step(single, chunk(single, text, 0, 6));
            expected = grads(single);
        }
        try (CompiledModel pair = model(cell, 6, 72, 16, 2)) { // 16 rows x 72 units: the time loop runs on both workers
            assertEquals(one, step(pair, chunk(pair, text, 0, 6)), 1e-6);
            for (int i = 0; i < expected.size(); i++) {
                Tolerance.assertClose(pair.params().get(i).name, toDouble(expected.get(i)), pair.params().get(i).grad, 1e-6, 1e-5);
            }
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
