package kiln.runtime.train;

import kiln.dsl.Init;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;

/**
 * A hand-written model for the training-loop tests: logits = x W^T + b, softmax cross-entropy,
 * plain loops (the real models are generated). Allocates nothing after construction.
 */
public final class SoftmaxRegression extends CompiledModel {
    private final int inputs;
    private final int classes;
    private final Param weight;
    private final Param bias;
    private final float[] probs; // [maxBatch, classes]
    private final float[] dlogits; // [maxBatch, classes]
    /** Test hook: when > 0, the loss turns NaN on this lossAndGrad call (1-based). */
    public int nanOnCall;
    /** Test hook: when > 0, a weight gradient turns NaN on this backward call (1-based). */
    public int nanGradientOnCall;
    private int calls, backwardCalls;

    public SoftmaxRegression(int maxBatch, int inputs, int classes) {
        super(maxBatch, 1);
        this.inputs = inputs;
        this.classes = classes;
        this.weight = param("linear.weight", false, Init.XAVIER_UNIFORM, inputs, classes, classes, inputs);
        this.bias = param("linear.bias", true, Init.ZEROS, inputs, classes, classes);
        input("input", kiln.dsl.InputKind.FEATURES, inputs);
        lossTerm("loss", 1);
        this.probs = new float[maxBatch * classes];
        this.dlogits = new float[maxBatch * classes];
    }

    @Override
    public String name() {
        return "SoftmaxRegression";
    }

    @Override
    public int outputSize() {
        return classes;
    }

    @Override
    public TargetKind targetKind() {
        return TargetKind.CLASS_INDEX;
    }

    @Override
    public int targetSize() {
        return 1;
    }

    @Override
    protected void forwardPass(int n, boolean updateStatistics) {
        float[] x = inputArray(0);
        for (int r = 0; r < n; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                float z = bias.value[j];
                for (int i = 0; i < inputs; i++) z += weight.value[j * inputs + i] * x[r * inputs + i];
                probs[r * classes + j] = z;
                max = Math.max(max, z);
            }
            float sum = 0;
            for (int j = 0; j < classes; j++) sum += probs[r * classes + j] = (float) Math.exp(probs[r * classes + j] - max);
            for (int j = 0; j < classes; j++) probs[r * classes + j] /= sum;
        }
    }

    @Override
    protected float lossPass(Batch batch, boolean seedGradients) {
        if (!seedGradients) return meanLoss(batch);
        int n = batch.size;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < classes; j++) {
                dlogits[r * classes + j] = (probs[r * classes + j] - (j == batch.labels[r] ? 1 : 0)) / n;
            }
        }
        return ++calls == nanOnCall ? Float.NaN : meanLoss(batch);
    }

    private float meanLoss(Batch batch) {
        double sum = 0;
        for (int r = 0; r < batch.size; r++) sum -= Math.log(Math.max(probs[r * classes + batch.labels[r]], 1e-30f));
        return (float) (sum / batch.size);
    }

    @Override
    protected void backwardPass(int n) {
        float[] x = inputArray(0);
        java.util.Arrays.fill(weight.grad, 0f);
        java.util.Arrays.fill(bias.grad, 0f);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < classes; j++) {
                float g = dlogits[r * classes + j];
                bias.grad[j] += g;
                for (int i = 0; i < inputs; i++) weight.grad[j * inputs + i] += g * x[r * inputs + i];
            }
        }
        if (++backwardCalls == nanGradientOnCall) weight.grad[1] = Float.NaN;
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
}
