package kiln.runtime.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import kiln.dsl.Init;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;

/**
 * A hand-written two-layer network for tests whose hidden size is chosen at run time:
 * logits = relu(x W1^T + b1) W2^T + b2, softmax cross-entropy, plain loops. On {@link #xor} data a
 * single hidden unit cannot do better than about 3 in 4, while a few units separate it.
 */
public final class TinyMlp extends CompiledModel {
    private final int inputs, hidden, classes;
    private final Param w1, b1, w2, b2;
    private final float[] h, probs, dlogits, dh;

    public TinyMlp(int maxBatch, int inputs, int hidden, int classes) {
        super(maxBatch, 1);
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        w1 = param("hidden.weight", false, Init.HE_UNIFORM, inputs, hidden, hidden, inputs);
        b1 = param("hidden.bias", true, Init.ZEROS, inputs, hidden, hidden);
        w2 = param("out.weight", false, Init.XAVIER_UNIFORM, hidden, classes, classes, hidden);
        b2 = param("out.bias", true, Init.ZEROS, hidden, classes, classes);
        input("input", kiln.dsl.InputKind.FEATURES, inputs);
        lossTerm("loss", 1);
        h = new float[maxBatch * hidden];
        probs = new float[maxBatch * classes];
        dlogits = new float[maxBatch * classes];
        dh = new float[maxBatch * hidden];
    }

    @Override public String name() { return "TinyMlp"; }
    @Override public int outputSize() { return classes; }
    @Override public TargetKind targetKind() { return TargetKind.CLASS_INDEX; }
    @Override public int targetSize() { return 1; }

    @Override
    protected void forwardPass(int n, boolean updateStatistics) {
        float[] x = inputArray(0);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hidden; j++) {
                float z = b1.value[j];
                for (int i = 0; i < inputs; i++) z += w1.value[j * inputs + i] * x[r * inputs + i];
                h[r * hidden + j] = Math.max(z, 0f);
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                float z = b2.value[c];
                for (int j = 0; j < hidden; j++) z += w2.value[c * hidden + j] * h[r * hidden + j];
                probs[r * classes + c] = z;
                max = Math.max(max, z);
            }
            float sum = 0;
            for (int c = 0; c < classes; c++) sum += probs[r * classes + c] = (float) Math.exp(probs[r * classes + c] - max);
            for (int c = 0; c < classes; c++) probs[r * classes + c] /= sum;
        }
    }

    @Override
    protected float lossPass(Batch batch, boolean seedGradients) {
        if (!seedGradients) return meanLoss(batch);
        int n = batch.size;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < classes; c++) dlogits[r * classes + c] = (probs[r * classes + c] - (c == batch.labels[r] ? 1 : 0)) / n;
        }
        return meanLoss(batch);
    }

    private float meanLoss(Batch batch) {
        double sum = 0;
        for (int r = 0; r < batch.size; r++) sum -= Math.log(Math.max(probs[r * classes + batch.labels[r]], 1e-30f));
        return (float) (sum / batch.size);
    }

    @Override
    protected void backwardPass(int n) {
        float[] x = inputArray(0);
        Arrays.fill(w1.grad, 0f);
        Arrays.fill(b1.grad, 0f);
        Arrays.fill(w2.grad, 0f);
        Arrays.fill(b2.grad, 0f);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hidden; j++) dh[r * hidden + j] = 0;
            for (int c = 0; c < classes; c++) {
                float g = dlogits[r * classes + c];
                b2.grad[c] += g;
                for (int j = 0; j < hidden; j++) {
                    w2.grad[c * hidden + j] += g * h[r * hidden + j];
                    dh[r * hidden + j] += g * w2.value[c * hidden + j];
                }
            }
            for (int j = 0; j < hidden; j++) {
                float g = h[r * hidden + j] > 0 ? dh[r * hidden + j] : 0;
                b1.grad[j] += g;
                for (int i = 0; i < inputs; i++) w1.grad[j * inputs + i] += g * x[r * inputs + i];
            }
        }
    }

    @Override
    protected void zeroUnseededOutputGradients(int n) {}

    @Override
    protected void zeroSeeds() {
        java.util.Arrays.fill(dlogits, 0f);
    }

    @Override
    protected float[] predictions(int n) {
        return probs;
    }

    /** Four noisy clusters at (+-1, +-1); the class is 1 where the signs differ (exclusive or). */
    public static Dataset xor(String name, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * 2];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            int a = rnd.nextBoolean() ? 1 : -1, b = rnd.nextBoolean() ? 1 : -1;
            x[2 * s] = (float) (a + 0.25 * rnd.nextGaussian());
            x[2 * s + 1] = (float) (b + 0.25 * rnd.nextGaussian());
            labels[s] = a == b ? 0 : 1;
        }
        return Dataset.ofLabels(name, x, 2, labels);
    }

    public static Splits xorSplits(long seed) {
        return new Splits(xor("xor train", 400, seed), xor("xor validation", 200, seed + 1), xor("xor test", 200, seed + 2));
    }
}
