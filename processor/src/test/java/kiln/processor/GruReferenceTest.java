package kiln.processor;

import static kiln.processor.Tolerance.assertClose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.SequenceModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GRU, which the fixtures do not cover, against the manifest's convention written out here in
 * double precision: gate blocks (r, z, n), {@code n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))},
 * {@code h_t = (1 - z) * n + z * h_{t-1}}, batch-first input, zero initial state, parameters named
 * {@code <node>.weight_ih_l<k>} etc. The reference's gradients are 5-point central differences of
 * its double-precision loss; the generated float32 model must match output, loss and every
 * gradient within the manifest's float32 tolerance (abs 1e-5 + rel 1e-4).
 */
class GruReferenceTest {
    private static final int N = 2, T = 5, I = 3, H = 20, C = 3;

    private static String source(int layers) {
        return """
                package gr;
                import kiln.dsl.*;
                @Model(data = "mnist")
                class Gru%d {
                    @Input({%d, %d}) Layer input;
                    @Gru(hidden = %d, layers = %d) Layer gru;
                    @Dense(units = %d, init = Init.XAVIER_UNIFORM) Layer head;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                }
                """.formatted(layers, T, I, H, layers, C);
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 1", "2, 2"})
    void matchesTheManifestFormulaInDoublePrecision(int layers, int threads) throws Exception {
        try (CompiledModel model = ModelCompiler.load("gr.Gru" + layers, source(layers), N, threads)) {
            model.initParams(3);
            Map<String, double[]> params = new LinkedHashMap<>();
            for (Param p : model.params()) params.put(p.name, toDouble(p.value));
            SplittableRandom rnd = new SplittableRandom(17);
            Batch batch = SequenceModel.batchFor(model, N);
            double[] x = new double[N * T * I];
            for (int i = 0; i < x.length; i++) batch.x[i] = (float) (x[i] = rnd.nextDouble(-1, 1));
            int[] labels = new int[N * T];
            for (int i = 0; i < labels.length; i++) batch.labels[i] = labels[i] = rnd.nextInt(C);
            batch.size = N;

            model.setInputGradients(true);
            model.forward(batch.x, N);
            float loss = model.lossAndGrad(batch);
            model.backward(batch.x, N);

            double[] logits = new double[N * T * C];
            double expectedLoss = reference(params, x, labels, layers, logits);
            assertClose("logits", logits, model.activation("head"), 1e-5, 1e-4);
            assertClose("loss", expectedLoss, loss, 1e-5, 1e-4);
            for (Param p : model.params()) {
                double[] values = params.get(p.name);
                double[] fd = new double[values.length];
                for (int i = 0; i < values.length; i++) fd[i] = difference(params, values, i, x, labels, layers);
                assertClose(p.name + " grad", fd, p.grad, 1e-5, 1e-4);
            }
            double[] dx = new double[x.length];
            for (int i = 0; i < x.length; i++) dx[i] = difference(params, x, i, x, labels, layers);
            assertClose("input grad", dx, model.inputGradient(model.inputNames().get(0)), 1e-5, 1e-4);
        }
    }

    /** dL/dvalues[i] by 5-point central differences of the double-precision reference. */
    private static double difference(Map<String, double[]> params, double[] values, int i, double[] x, int[] labels, int layers) {
        double saved = values[i], e = 1e-4;
        double[] at = new double[4];
        double[] offsets = {2 * e, e, -e, -2 * e};
        for (int k = 0; k < 4; k++) {
            values[i] = saved + offsets[k];
            at[k] = reference(params, x, labels, layers, null);
        }
        values[i] = saved;
        return (-at[0] + 8 * at[1] - 8 * at[2] + at[3]) / (12 * e);
    }

    /** The manifest's GRU, stacked, a linear head on every step, cross-entropy mean over the N*T rows. */
    static double reference(Map<String, double[]> p, double[] x, int[] labels, int layers, double[] logitsOut) {
        double[] seq = x; // [N, T, in]
        int in = I;
        for (int l = 0; l < layers; l++) {
            double[] wih = p.get("gru.weight_ih_l" + l), whh = p.get("gru.weight_hh_l" + l);
            double[] bih = p.get("gru.bias_ih_l" + l), bhh = p.get("gru.bias_hh_l" + l);
            double[] out = new double[N * T * H];
            for (int b = 0; b < N; b++) {
                double[] h = new double[H];
                for (int t = 0; t < T; t++) {
                    double[] next = new double[H];
                    for (int j = 0; j < H; j++) {
                        double r = sigmoid(affine(wih, bih, seq, (b * T + t) * in, in, j) + affine(whh, bhh, h, 0, H, j));
                        double z = sigmoid(affine(wih, bih, seq, (b * T + t) * in, in, H + j) + affine(whh, bhh, h, 0, H, H + j));
                        double n = Math.tanh(affine(wih, bih, seq, (b * T + t) * in, in, 2 * H + j)
                                + r * affine(whh, bhh, h, 0, H, 2 * H + j));
                        next[j] = (1 - z) * n + z * h[j];
                    }
                    h = next;
                    System.arraycopy(h, 0, out, (b * T + t) * H, H);
                }
            }
            seq = out;
            in = H;
        }
        double[] w = p.get("head.weight"), bias = p.get("head.bias");
        double total = 0;
        for (int row = 0; row < N * T; row++) {
            double[] z = new double[C];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < C; c++) {
                z[c] = affine(w, bias, seq, row * H, H, c);
                max = Math.max(max, z[c]);
                if (logitsOut != null) logitsOut[row * C + c] = z[c];
            }
            double sum = 0;
            for (int c = 0; c < C; c++) sum += Math.exp(z[c] - max);
            total += max + Math.log(sum) - z[labels[row]];
        }
        return total / (N * T);
    }

    /** Row {@code j} of {@code w} [*, width] dotted with {@code v[off..off+width)}, plus {@code b[j]}. */
    private static double affine(double[] w, double[] b, double[] v, int off, int width, int j) {
        double s = b[j];
        for (int k = 0; k < width; k++) s += w[j * width + k] * v[off + k];
        return s;
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
