package kiln.runtime.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kiln.dsl.Init;
import kiln.dsl.InputKind;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;

/**
 * A hand-written model that draws noise in training, as dropout or a Gaussian layer does: from its
 * own random stream ({@link #randomState()}), it adds noise of scale 0.1 to its inputs, then
 * regresses linearly (mean squared error). It records the sum of each training forward's draws,
 * so that tests can compare the noise of two runs.
 */
public final class NoisyRegression extends CompiledModel {
    private final int inputs;
    private final Param weight, bias;
    private final float[] noisy, y, dy;
    /** The sum of the noise each training forward drew, in order. */
    public final List<Double> draws = new ArrayList<>();

    public NoisyRegression(int maxBatch, int inputs) {
        super(maxBatch, 1);
        this.inputs = inputs;
        weight = param("fc.weight", false, Init.XAVIER_UNIFORM, inputs, 1, 1, inputs);
        bias = param("fc.bias", true, Init.ZEROS, inputs, 1, 1);
        input("x", InputKind.FEATURES, inputs);
        lossTerm("mse", 1);
        noisy = new float[maxBatch * inputs];
        y = new float[maxBatch];
        dy = new float[maxBatch];
    }

    @Override public String name() { return "NoisyRegression"; }
    @Override public int outputSize() { return 1; }
    @Override public TargetKind targetKind() { return TargetKind.REGRESSION; }
    @Override public int targetSize() { return 1; }

    @Override
    protected void forwardPass(int n, boolean updateStatistics) {
        float[] x = inputArray(0);
        double drawn = 0;
        for (int i = 0; i < n * inputs; i++) {
            float eps = isTraining() ? (float) (0.1 * (2 * nextUniform() - 1)) : 0f;
            drawn += eps;
            noisy[i] = x[i] + eps;
        }
        if (isTraining()) draws.add(drawn);
        for (int r = 0; r < n; r++) {
            float z = bias.value[0];
            for (int i = 0; i < inputs; i++) z += weight.value[i] * noisy[r * inputs + i];
            y[r] = z;
        }
    }

    /** SplitMix64 on the model's random stream, as generated code advances it. */
    private double nextUniform() {
        long z = randomState() + 0x9E3779B97F4A7C15L;
        setRandomState(z);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    @Override
    protected float lossPass(Batch batch, boolean seedGradients) {
        int n = batch.size;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            float d = y[r] - batch.targets[r];
            sum += d * d;
            if (seedGradients) dy[r] = 2 * d / n;
        }
        lossTerms[0] = sum / n;
        return (float) lossTerms[0];
    }

    @Override
    protected void zeroUnseededOutputGradients(int n) {}

    @Override
    protected void zeroSeeds() {
        Arrays.fill(dy, 0f);
    }

    @Override
    protected void backwardPass(int n) {
        Arrays.fill(weight.grad, 0f);
        Arrays.fill(bias.grad, 0f);
        for (int r = 0; r < n; r++) {
            bias.grad[0] += dy[r];
            for (int i = 0; i < inputs; i++) weight.grad[i] += dy[r] * noisy[r * inputs + i];
        }
    }

    @Override
    protected float[] predictions(int n) {
        return y;
    }
}
