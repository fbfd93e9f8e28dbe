package kiln.runtime.train;

import java.util.Arrays;

import kiln.dsl.Init;
import kiln.dsl.InputKind;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;

/**
 * A hand-written linear autoencoder with two loss terms and nothing to read from the data but its
 * input ({@link TargetKind#NONE}): code = x E^T, y = code D^T; the loss is
 * {@code reconstruction = mean over rows of sum (y - x)^2 / inputs} plus
 * {@code 0.1 * code = mean over rows of sum code^2 / width}. Plain loops; allocates nothing.
 */
public final class TinyAutoencoder extends CompiledModel {
    static final double CODE_WEIGHT = 0.1;
    private final int inputs, width;
    private final Param encoder, decoder;
    private final float[] code, y, dy, dcode;

    public TinyAutoencoder(int maxBatch, int inputs, int width) {
        super(maxBatch, 1);
        this.inputs = inputs;
        this.width = width;
        encoder = param("encoder.weight", false, Init.XAVIER_UNIFORM, inputs, width, width, inputs);
        decoder = param("decoder.weight", false, Init.XAVIER_UNIFORM, width, inputs, inputs, width);
        input("x", InputKind.FEATURES, inputs);
        lossTerm("reconstruction", 1);
        lossTerm("code", CODE_WEIGHT);
        code = new float[maxBatch * width];
        y = new float[maxBatch * inputs];
        dy = new float[maxBatch * inputs];
        dcode = new float[maxBatch * width];
    }

    @Override public String name() { return "TinyAutoencoder"; }
    @Override public int outputSize() { return inputs; }
    @Override public TargetKind targetKind() { return TargetKind.NONE; }
    @Override public int targetSize() { return 0; }

    @Override
    protected void forwardPass(int n, boolean updateStatistics) {
        float[] x = inputArray(0);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                float z = 0;
                for (int i = 0; i < inputs; i++) z += encoder.value[j * inputs + i] * x[r * inputs + i];
                code[r * width + j] = z;
            }
            for (int i = 0; i < inputs; i++) {
                float z = 0;
                for (int j = 0; j < width; j++) z += decoder.value[i * width + j] * code[r * width + j];
                y[r * inputs + i] = z;
            }
        }
    }

    @Override
    protected float lossPass(Batch batch, boolean seedGradients) {
        float[] x = inputArray(0);
        int n = batch.size;
        double reconstruction = 0, codeSum = 0;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < inputs; i++) {
                float d = y[r * inputs + i] - x[r * inputs + i];
                reconstruction += d * d;
                if (seedGradients) dy[r * inputs + i] = 2 * d / (n * inputs);
            }
            for (int j = 0; j < width; j++) codeSum += code[r * width + j] * code[r * width + j];
        }
        lossTerms[0] = reconstruction / (n * inputs);
        lossTerms[1] = codeSum / (n * width);
        return (float) (lossTerms[0] + CODE_WEIGHT * lossTerms[1]);
    }

    @Override
    protected void zeroUnseededOutputGradients(int n) {}

    @Override
    protected void zeroSeeds() {
        Arrays.fill(dy, 0f);
    }

    @Override
    protected void backwardPass(int n) {
        float[] x = inputArray(0);
        java.util.Arrays.fill(encoder.grad, 0f);
        java.util.Arrays.fill(decoder.grad, 0f);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) dcode[r * width + j] = (float) (CODE_WEIGHT * 2 * code[r * width + j] / (n * width));
            for (int i = 0; i < inputs; i++) {
                float g = dy[r * inputs + i];
                for (int j = 0; j < width; j++) {
                    decoder.grad[i * width + j] += g * code[r * width + j];
                    dcode[r * width + j] += g * decoder.value[i * width + j];
                }
            }
            for (int j = 0; j < width; j++) {
                for (int i = 0; i < inputs; i++) encoder.grad[j * inputs + i] += dcode[r * width + j] * x[r * inputs + i];
            }
        }
    }

    @Override
    protected float[] predictions(int n) {
        return y;
    }
}
