package kiln.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import kiln.dsl.Activation;
import kiln.runtime.parallel.ParallelTask;
import kiln.runtime.parallel.WorkerPool;

/**
 * Batch normalisation of one layer, PyTorch's BatchNorm2d (x [n, C, hw]) and BatchNorm1d
 * (x [n, C], hw = 1), followed by an element-wise activation in the same pass:
 * {@code y = act(gamma (x - mean) / sqrt(var + eps) + beta)} per channel. In training the mean
 * and biased variance are the batch's, over n x hw values, and the running statistics move
 * toward them, {@code running = (1 - momentum) running + momentum batch}, with the unbiased
 * variance as PyTorch does; in inference the running statistics are used. The statistics of the
 * last forward are kept for backward, which reads x (not a saved x-hat) and y (for act').
 *
 * <p>Channels are divided between the pool's workers. Statistics are summed per image plane in
 * float lanes, then across planes in double. Calls allocate nothing. Not thread-safe.
 */
public final class BatchNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final int channels, hw;
    private final float momentum, eps;
    private final float[] mean, invStd; // [C], of the last forward
    private boolean batchStatistics;    // whether the last forward normalised by the batch's statistics
    private final WorkerPool pool;
    private final Task task = new Task();

    public BatchNorm(WorkerPool pool, int channels, int hw, double momentum, double eps) {
        if (channels < 1 || hw < 1) throw new IllegalArgumentException("bad batch-norm shape " + channels + " x " + hw);
        this.pool = pool;
        this.channels = channels;
        this.hw = hw;
        this.momentum = (float) momentum;
        this.eps = (float) eps;
        this.mean = new float[channels];
        this.invStd = new float[channels];
    }

    /**
     * y = act(gamma x-hat + beta) over x [n, C, hw]. With {@code training}, normalises by batch
     * statistics and, when {@code updateRunning}, updates the running statistics; otherwise
     * normalises by the running statistics.
     */
    public void forward(float[] x, float[] gamma, float[] beta, float[] runningMean, float[] runningVar, Activation act,
                        float[] y, int n, boolean training, boolean updateRunning) {
        check(x, n);
        check(y, n);
        batchStatistics = training;
        Task t = task;
        t.backward = false;
        t.x = x;
        t.y = y;
        t.gamma = gamma;
        t.beta = beta;
        t.runningMean = runningMean;
        t.runningVar = runningVar;
        t.act = act;
        t.n = n;
        t.training = training;
        t.updateRunning = updateRunning;
        pool.run(t);
        t.clear();
    }

    /**
     * Gradients of the last {@link #forward}, given its x, y and dL/dy (overwritten with
     * dL/d(pre-activation)): dGamma and dBeta [C] (overwritten), and dx (+)= dL/dx when dx is not null.
     */
    public void backward(float[] x, float[] y, float[] dy, Activation act, float[] gamma, float[] dGamma, float[] dBeta,
                         float[] dx, boolean accumulate, int n) {
        check(x, n);
        check(dy, n);
        if (dx != null) check(dx, n);
        Task t = task;
        t.backward = true;
        t.x = x;
        t.y = y;
        t.dy = dy;
        t.act = act;
        t.gamma = gamma;
        t.dGamma = dGamma;
        t.dBeta = dBeta;
        t.dx = dx;
        t.accumulate = accumulate;
        t.n = n;
        pool.run(t);
        t.clear();
    }

    private void check(float[] a, int n) {
        if (a.length < (long) n * channels * hw) {
            throw new IllegalArgumentException("array of " + a.length + " floats for " + n + " x " + channels + " x " + hw);
        }
    }

    private final class Task implements ParallelTask {
        boolean backward, training, updateRunning, accumulate;
        float[] x, y, dy, dx, gamma, beta, runningMean, runningVar, dGamma, dBeta;
        Activation act;
        int n;

        void clear() {
            x = y = dy = dx = gamma = beta = runningMean = runningVar = dGamma = dBeta = null;
        }

        @Override
        public void run(int worker, int workers) {
            int from = channels * worker / workers, to = channels * (worker + 1) / workers;
            for (int c = from; c < to; c++) {
                if (backward) backwardChannel(c);
                else forwardChannel(c);
            }
        }

        private void forwardChannel(int c) {
            int stride = channels * hw;
            if (training) {
                double count = (double) n * hw;
                double sum = 0;
                for (int r = 0; r < n; r++) sum += planeSum(x, r * stride + c * hw);
                float m = (float) (sum / count);
                double squares = 0;
                for (int r = 0; r < n; r++) squares += planeSquares(x, r * stride + c * hw, m);
                double var = squares / count;
                mean[c] = m;
                invStd[c] = (float) (1 / Math.sqrt(var + eps));
                if (updateRunning) {
                    double unbiased = count > 1 ? var * count / (count - 1) : var;
                    runningMean[c] = (1 - momentum) * runningMean[c] + momentum * m;
                    runningVar[c] = (float) ((1 - momentum) * runningVar[c] + momentum * unbiased);
                }
            } else {
                mean[c] = runningMean[c];
                invStd[c] = (float) (1 / Math.sqrt(runningVar[c] + eps));
            }
            float scale = gamma[c] * invStd[c], shift = beta[c] - mean[c] * scale;
            for (int r = 0; r < n; r++) Activations.apply(act, x, r * stride + c * hw, scale, shift, y, r * stride + c * hw, hw);
        }

        private void backwardChannel(int c) {
            int stride = channels * hw;
            float m = mean[c], is = invStd[c];
            // dz = dy * act'(y), in place; dBeta = sum dz, dGamma = sum dz * x-hat
            double sumDz = 0, sumDzXhat = 0;
            for (int r = 0; r < n; r++) {
                int base = r * stride + c * hw, i = 0;
                Activations.backward(act, dy, y, base, dy, base, hw);
                FloatVector a = FloatVector.zero(S), b = a;
                for (int bound = S.loopBound(hw); i < bound; i += L) {
                    FloatVector dz = FloatVector.fromArray(S, dy, base + i);
                    a = a.add(dz);
                    b = dz.fma(FloatVector.fromArray(S, x, base + i).sub(m), b);
                }
                float ta = 0f, tb = 0f;
                for (; i < hw; i++) {
                    float dz = dy[base + i];
                    ta += dz;
                    tb += dz * (x[base + i] - m);
                }
                sumDz += VectorMath.sum(a) + ta;
                sumDzXhat += VectorMath.sum(b) + tb;
            }
            sumDzXhat *= is;
            dBeta[c] = (float) sumDz;
            dGamma[c] = (float) sumDzXhat;
            if (dx == null) return;
            float g = gamma[c] * is;
            float k0, k1; // dx = g (dz - k0 - x-hat k1) in training; g dz in inference
            if (batchStatistics) {
                double count = (double) n * hw;
                k0 = (float) (sumDz / count);
                k1 = (float) (sumDzXhat / count);
            } else {
                k0 = 0f;
                k1 = 0f;
            }
            // dx = g dz - g k0 - g k1 is (x - m) = g dz + (x * (-g k1 is)) + (g k1 is m - g k0)
            float cx = -g * k1 * is, c0 = g * k1 * is * m - g * k0;
            for (int r = 0; r < n; r++) {
                int base = r * stride + c * hw, i = 0;
                for (int bound = S.loopBound(hw); i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, dy, base + i).mul(g)
                            .add(FloatVector.fromArray(S, x, base + i).fma(cx, c0));
                    if (accumulate) v = v.add(FloatVector.fromArray(S, dx, base + i));
                    v.intoArray(dx, base + i);
                }
                for (; i < hw; i++) {
                    float v = g * dy[base + i] + (x[base + i] * cx + c0);
                    dx[base + i] = accumulate ? dx[base + i] + v : v;
                }
            }
        }

        private float planeSum(float[] a, int base) {
            int i = 0;
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(hw); i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, a, base + i));
            float s = VectorMath.sum(acc);
            for (; i < hw; i++) s += a[base + i];
            return s;
        }

        private float planeSquares(float[] a, int base, float m) {
            int i = 0;
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(hw); i < bound; i += L) {
                FloatVector d = FloatVector.fromArray(S, a, base + i).sub(m);
                acc = d.fma(d, acc);
            }
            float s = VectorMath.sum(acc);
            for (; i < hw; i++) s += (a[base + i] - m) * (a[base + i] - m);
            return s;
        }
    }
}
