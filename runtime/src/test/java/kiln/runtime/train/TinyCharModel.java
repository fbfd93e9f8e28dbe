package kiln.runtime.train;

import java.util.Arrays;
import java.util.List;
import kiln.dsl.Init;
import kiln.dsl.InputKind;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.SequenceModel;
import kiln.runtime.TargetKind;

/**
 * A hand-written character language model shaped like a generated one: token ids [steps] in,
 * h_t = tanh(E[x_t] + W h_{t-1} + b), logits_t = U h_t + c, softmax cross-entropy at every active
 * step. It carries h between forward passes when asked (truncated BPTT: the gradient stops at the
 * chunk's start) and exposes the carried state. Plain loops; allocates nothing after construction.
 */
public final class TinyCharModel extends CompiledModel implements SequenceModel {
    private final int vocab, hidden, steps;
    private final Param embed, recurrent, bias, out, outBias;
    private final float[] state; // [maxBatch, hidden]: carried h
    private final float[] hs; // [maxBatch, steps + 1, hidden]: h_0 .. h_steps of the last forward
    private final float[] probs; // [maxBatch, steps, vocab]
    private final float[] dlogits; // [maxBatch, steps, vocab]
    private final float[] dh, dnext; // [hidden]
    private final float[][] grads;
    private int activeSteps;
    private boolean carry;
    /** Test hook: when > 0, the loss turns NaN on this lossAndGrad call (1-based). */
    public int nanOnCall;
    private int calls;

    public TinyCharModel(int maxBatch, int vocab, int hidden, int steps) {
        super(maxBatch, 1);
        this.vocab = vocab;
        this.hidden = hidden;
        this.steps = steps;
        this.activeSteps = steps;
        embed = param("embed.weight", false, Init.NORMAL, vocab, hidden, vocab, hidden);
        recurrent = param("rnn.weight_hh", false, Init.PYTORCH_UNIFORM, hidden, hidden, hidden, hidden);
        bias = param("rnn.bias", true, Init.ZEROS, hidden, hidden, hidden);
        out = param("out.weight", false, Init.PYTORCH_UNIFORM, hidden, vocab, vocab, hidden);
        outBias = param("out.bias", true, Init.ZEROS, hidden, vocab, vocab);
        input("chars", InputKind.TOKENS, steps);
        lossTerm("loss", 1);
        state = new float[maxBatch * hidden];
        hs = new float[maxBatch * (steps + 1) * hidden];
        probs = new float[maxBatch * steps * vocab];
        dlogits = new float[maxBatch * steps * vocab];
        dh = new float[hidden];
        dnext = new float[hidden];
        grads = new float[][] {embed.grad, recurrent.grad, bias.grad, out.grad, outBias.grad};
    }

    @Override public String name() { return "TinyCharModel"; }
    @Override public int outputSize() { return steps * vocab; }
    @Override public TargetKind targetKind() { return TargetKind.CLASS_INDEX; }
    @Override public int targetSize() { return 1; }
    @Override public int timeSteps() { return steps; }
    @Override public int labelsPerSample() { return steps; }
    @Override public int activeSteps() { return activeSteps; }
    @Override public void setCarryState(boolean carry) { this.carry = carry; }
    @Override public boolean carriesState() { return carry; }
    @Override public void resetState() { Arrays.fill(state, 0f); }
    @Override public List<float[]> carriedState() { return List.of(state); }

    @Override
    public void setActiveSteps(int steps) {
        if (steps < 1 || steps > this.steps) throw new IllegalArgumentException("active steps must be in 1.." + this.steps + ", got " + steps);
        activeSteps = steps;
    }

    @Override
    protected void forwardPass(int n, boolean updateStatistics) {
        float[] x = inputArray(0);
        int stride = (steps + 1) * hidden;
        for (int r = 0; r < n; r++) {
            int h0 = r * stride;
            for (int j = 0; j < hidden; j++) hs[h0 + j] = carry ? state[r * hidden + j] : 0f;
            for (int t = 0; t < activeSteps; t++) {
                int token = (int) x[r * steps + t], prev = h0 + t * hidden, cur = prev + hidden;
                for (int j = 0; j < hidden; j++) {
                    float z = embed.value[token * hidden + j] + bias.value[j];
                    for (int i = 0; i < hidden; i++) z += recurrent.value[j * hidden + i] * hs[prev + i];
                    hs[cur + j] = (float) Math.tanh(z);
                }
                int p = (r * steps + t) * vocab;
                float max = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    float z = outBias.value[v];
                    for (int j = 0; j < hidden; j++) z += out.value[v * hidden + j] * hs[cur + j];
                    probs[p + v] = z;
                    max = Math.max(max, z);
                }
                float sum = 0;
                for (int v = 0; v < vocab; v++) sum += probs[p + v] = (float) Math.exp(probs[p + v] - max);
                for (int v = 0; v < vocab; v++) probs[p + v] /= sum;
            }
            System.arraycopy(hs, h0 + activeSteps * hidden, state, r * hidden, hidden);
        }
    }

    @Override
    protected float lossPass(Batch batch, boolean seedGradients) {
        int n = batch.size;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            for (int t = 0; t < activeSteps; t++) {
                int p = (r * steps + t) * vocab, label = batch.labels[r * steps + t];
                sum -= Math.log(Math.max(probs[p + label], 1e-30f));
                if (seedGradients) {
                    for (int v = 0; v < vocab; v++) dlogits[p + v] = (probs[p + v] - (v == label ? 1 : 0)) / (n * activeSteps);
                }
            }
        }
        lossTerms[0] = sum / (n * activeSteps);
        if (seedGradients && ++calls == nanOnCall) return Float.NaN;
        return (float) lossTerms[0];
    }

    @Override
    protected void zeroUnseededOutputGradients(int n) {}

    @Override
    protected void zeroSeeds() {
        Arrays.fill(dlogits, 0f);
    }

    @Override
    protected void backwardPass(int n) {
        float[] x = inputArray(0);
        for (float[] g : grads) Arrays.fill(g, 0f);
        int stride = (steps + 1) * hidden;
        for (int r = 0; r < n; r++) {
            Arrays.fill(dnext, 0f);
            for (int t = activeSteps - 1; t >= 0; t--) {
                int cur = r * stride + (t + 1) * hidden, prev = cur - hidden, p = (r * steps + t) * vocab;
                System.arraycopy(dnext, 0, dh, 0, hidden);
                for (int v = 0; v < vocab; v++) {
                    float g = dlogits[p + v];
                    outBias.grad[v] += g;
                    for (int j = 0; j < hidden; j++) {
                        out.grad[v * hidden + j] += g * hs[cur + j];
                        dh[j] += g * out.value[v * hidden + j];
                    }
                }
                Arrays.fill(dnext, 0f);
                int token = (int) x[r * steps + t];
                for (int j = 0; j < hidden; j++) {
                    float dz = dh[j] * (1 - hs[cur + j] * hs[cur + j]);
                    bias.grad[j] += dz;
                    embed.grad[token * hidden + j] += dz;
                    for (int i = 0; i < hidden; i++) {
                        recurrent.grad[j * hidden + i] += dz * hs[prev + i];
                        dnext[i] += dz * recurrent.value[j * hidden + i];
                    }
                }
            }
        }
    }

    @Override
    protected float[] predictions(int n) {
        return probs;
    }
}
