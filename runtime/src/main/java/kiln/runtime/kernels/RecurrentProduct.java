package kiln.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.parallel.ParallelTask;
import kiln.runtime.parallel.SpinBarrier;
import kiln.runtime.parallel.WorkerPool;

/**
 * The time loop of one recurrent layer (tanh RNN, LSTM, GRU: {@code G} gate blocks of {@code H}
 * hidden units) around the per-step matrix product with the recurrent weights W_hh [G*H, H]:
 * <ul>
 *   <li>{@link #forward}: for t = 0..steps-1, {@code hh[n, G*H] = h_{t-1}[n, H] · W_hh^T}, then
 *       the caller's gate pass for step t;
 *   <li>{@link #backward}: for t = steps-1..0, the caller's gate pass backward for step t (giving
 *       dA_t), then, for t > 0, {@code dh[n, H] (+)= dA_t[n, G*H] · W_hh}.
 * </ul>
 * The work is split between the pool's workers by hidden units: a worker computes the products
 * for its units (for all G gate blocks forward, so it holds every gate of its units) and runs the
 * gate pass on those units, so a step needs one barrier (h_t, resp. dA_t, complete) instead of
 * two round trips through the pool. W_hh is packed once per pass into register-block panels
 * (W_hh^T forward, W_hh backward), the same 4 x 2-vector micro-kernel as {@link Gemm}.
 *
 * <p>Layouts are time-major: step t of the hidden states is at {@code hs[t * n * H]} (slot t holds
 * h_{t-1} of step t), of the gate gradients at {@code dA[t * n * G*H]}. An instance belongs to one
 * model; it allocates nothing per call. Not thread-safe.
 */
public final class RecurrentProduct {
    /** The gate pass of one time step over batch rows [0, n) and hidden units [from, to). */
    @FunctionalInterface
    public interface StepPass {
        void run(int t, int n, int from, int to);
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Batch rows per register block. */
    static final int MR = 4;
    /** Hidden units per register block and per panel: two vectors. */
    static final int NR = 2 * L;
    /** Multiply-adds per step below which the workers are not woken. */
    static final long PARALLEL_MIN_FMAS = 1L << 16;

    private final WorkerPool pool;
    private final int gates, hidden, panels;
    private final float[] forwardPanels;  // [gates][panels][hidden (k)][NR]: W_hh^T, zero past the last unit
    private final float[] backwardPanels; // [panels][gates*hidden (k)][NR]: W_hh, zero past the last unit
    private final float[][] tiles;        // [worker][MR * NR]: edge tiles
    private final SpinBarrier barrier = new SpinBarrier();
    private final Pass pass = new Pass();

    public RecurrentProduct(WorkerPool pool, int gates, int hidden) {
        if (gates < 1 || hidden < 1) throw new IllegalArgumentException("gates " + gates + ", hidden " + hidden);
        this.pool = pool;
        this.gates = gates;
        this.hidden = hidden;
        this.panels = (hidden + NR - 1) / NR;
        this.forwardPanels = new float[gates * panels * hidden * NR];
        this.backwardPanels = new float[panels * gates * hidden * NR];
        this.tiles = new float[pool.threads()][MR * NR];
    }

    /**
     * Forward through time over rows [0, n): for each step {@code t < steps}, {@code hh = hs[t] · w^T}
     * ({@code w} = W_hh [G*H, H] row-major, {@code hs} time-major [steps+1, n, H], {@code hh}
     * [n, G*H]), then {@code gates.run(t, n, from, to)} on every worker's units.
     */
    public void forward(float[] w, float[] hs, float[] hh, int n, int steps, StepPass gates) {
        packForward(w);
        run(false, hs, hh, false, n, steps, gates);
    }

    /**
     * Backward through time over rows [0, n): for t from steps-1 down to 0,
     * {@code gates.run(t, n, from, to)} (writing dA_t), then for t > 0 {@code dh (+)= dA[t] · w}
     * ({@code dA} time-major [steps, n, G*H], {@code dh} [n, H]); {@code accumulate} adds to what
     * the gate pass left in dh.
     */
    public void backward(float[] w, float[] dA, float[] dh, boolean accumulate, int n, int steps, StepPass gates) {
        packBackward(w);
        run(true, dA, dh, accumulate, n, steps, gates);
    }

    private void run(boolean backward, float[] in, float[] out, boolean accumulate, int n, int steps, StepPass gates) {
        Pass p = pass;
        p.backward = backward;
        p.in = in;
        p.out = out;
        p.accumulate = accumulate;
        p.n = n;
        p.steps = steps;
        p.step = gates;
        barrier.reset();
        try {
            boolean parallel = pool.threads() > 1 && (long) n * this.gates * hidden * hidden >= PARALLEL_MIN_FMAS;
            if (parallel) pool.run(p);
            else p.run(0, 1);
        } finally {
            p.in = p.out = null;
            p.step = null;
        }
    }

    /** First hidden unit of worker {@code worker}'s share: whole panels, split evenly. */
    int unitsFrom(int worker, int workers) {
        return Math.min(hidden, panels * worker / workers * NR);
    }

    /** The call in flight, run by every worker on its units. */
    private final class Pass implements ParallelTask {
        boolean backward, accumulate;
        float[] in, out;
        int n, steps;
        StepPass step;

        @Override
        public void run(int worker, int workers) {
            int from = unitsFrom(worker, workers), to = unitsFrom(worker + 1, workers);
            try {
                if (!backward) {
                    for (int t = 0; t < steps; t++) {
                        if (from < to) forwardProduct(worker, in, t * n * hidden, n, out, from, to);
                        step.run(t, n, from, to);
                        barrier.await(workers); // h_t complete before step t+1 reads it
                    }
                } else {
                    int gh = gates * hidden;
                    for (int t = steps - 1; t >= 0; t--) {
                        step.run(t, n, from, to);
                        barrier.await(workers); // dA_t complete before any worker reads it
                        if (t > 0 && from < to) backwardProduct(worker, in, t * n * gh, n, out, accumulate, from, to);
                    }
                }
            } catch (Throwable e) {
                barrier.abort();
                throw e;
            }
        }
    }

    /** hh[b, g*H + j] = sum_p h[b, p] W[g*H + j, p] for rows b < n, all gates, units j in [from, to). */
    private void forwardProduct(int worker, float[] h, int hOff, int n, float[] hh, int from, int to) {
        int gh = gates * hidden;
        for (int g = 0; g < gates; g++) {
            for (int up = from / NR; up * NR < to; up++) {
                int yOff = (g * panels + up) * hidden * NR;
                int col = g * hidden + up * NR, cols = Math.min(NR, hidden - up * NR);
                multiplyPanel(worker, h, hOff, hidden, forwardPanels, yOff, hidden, hh, col, gh, cols, n, false);
            }
        }
    }

    /** dh[b, j] (+)= sum_q dA[b, q] W[q, j] for rows b < n, units j in [from, to). */
    private void backwardProduct(int worker, float[] dA, int aOff, int n, float[] dh, boolean accumulate, int from, int to) {
        int gh = gates * hidden;
        for (int up = from / NR; up * NR < to; up++) {
            multiplyPanel(worker, dA, aOff, gh, backwardPanels, up * gh * NR, gh, dh, up * NR, hidden,
                    Math.min(NR, hidden - up * NR), n, accumulate);
        }
    }

    /**
     * OUT[b, col + c] (+)= sum_p X[b, p] Y[p, c] for b < n, c < cols, with X rows at
     * {@code x[xOff + b * ldx]} (k contiguous) and Y a packed panel [k][NR].
     */
    private void multiplyPanel(int worker, float[] x, int xOff, int ldx, float[] y, int yOff, int k, float[] out, int col,
                               int ldo, int cols, int n, boolean accumulate) {
        int b = 0;
        if (cols == NR) {
            for (; b + MR <= n; b += MR) kernel4(k, x, xOff + b * ldx, ldx, y, yOff, out, b * ldo + col, ldo, accumulate);
            for (; b < n; b++) kernel1(k, x, xOff + b * ldx, y, yOff, out, b * ldo + col, accumulate);
            return;
        }
        float[] tile = tiles[worker]; // a partial panel: full tiles into scratch, the valid columns copied out
        for (; b < n; b += MR) {
            int rows = Math.min(MR, n - b);
            if (rows == MR) {
                kernel4(k, x, xOff + b * ldx, ldx, y, yOff, tile, 0, NR, false);
            } else {
                for (int i = 0; i < rows; i++) kernel1(k, x, xOff + (b + i) * ldx, y, yOff, tile, i * NR, false);
            }
            for (int i = 0; i < rows; i++) {
                int o = (b + i) * ldo + col;
                for (int c = 0; c < cols; c++) out[o + c] = accumulate ? out[o + c] + tile[i * NR + c] : tile[i * NR + c];
            }
        }
    }

    /** W_hh^T into [gate][panel][p][NR]: column c of a panel is unit up*NR + c of the gate. */
    private void packForward(float[] w) {
        for (int g = 0; g < gates; g++) {
            for (int up = 0; up < panels; up++) {
                int base = (g * panels + up) * hidden * NR;
                for (int c = 0; c < NR; c++) {
                    int unit = up * NR + c;
                    if (unit < hidden) {
                        int row = (g * hidden + unit) * hidden;
                        for (int p = 0; p < hidden; p++) forwardPanels[base + p * NR + c] = w[row + p];
                    } else {
                        for (int p = 0; p < hidden; p++) forwardPanels[base + p * NR + c] = 0f;
                    }
                }
            }
        }
    }

    /** W_hh into [panel][q][NR]: row q of a panel is W_hh row q, units up*NR.. of it. */
    private void packBackward(float[] w) {
        int gh = gates * hidden;
        for (int up = 0; up < panels; up++) {
            int base = up * gh * NR, cols = Math.min(NR, hidden - up * NR);
            for (int q = 0; q < gh; q++) {
                int src = q * hidden + up * NR, dst = base + q * NR;
                if (cols == NR) {
                    FloatVector.fromArray(S, w, src).intoArray(backwardPanels, dst);
                    FloatVector.fromArray(S, w, src + L).intoArray(backwardPanels, dst + L);
                } else {
                    for (int c = 0; c < NR; c++) backwardPanels[dst + c] = c < cols ? w[src + c] : 0f;
                }
            }
        }
    }

    /** out[o + i*ldo + j] (+)= sum_p x[xIdx + i*ldx + p] * y[yIdx + p*NR + j], i < 4, j < NR. */
    private static void kernel4(int k, float[] x, int xIdx, int ldx, float[] y, int yIdx, float[] out, int o, int ldo,
                                boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00,
                c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int x0 = xIdx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx;
        for (int p = 0; p < k; p++) {
            int yp = yIdx + p * NR;
            FloatVector y0 = FloatVector.fromArray(S, y, yp);
            FloatVector y1 = FloatVector.fromArray(S, y, yp + L);
            FloatVector v = FloatVector.broadcast(S, x[x0 + p]);
            c00 = v.fma(y0, c00);
            c01 = v.fma(y1, c01);
            v = FloatVector.broadcast(S, x[x1 + p]);
            c10 = v.fma(y0, c10);
            c11 = v.fma(y1, c11);
            v = FloatVector.broadcast(S, x[x2 + p]);
            c20 = v.fma(y0, c20);
            c21 = v.fma(y1, c21);
            v = FloatVector.broadcast(S, x[x3 + p]);
            c30 = v.fma(y0, c30);
            c31 = v.fma(y1, c31);
        }
        int o1 = o + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
        if (add) {
            c00.add(FloatVector.fromArray(S, out, o)).intoArray(out, o);
            c01.add(FloatVector.fromArray(S, out, o + L)).intoArray(out, o + L);
            c10.add(FloatVector.fromArray(S, out, o1)).intoArray(out, o1);
            c11.add(FloatVector.fromArray(S, out, o1 + L)).intoArray(out, o1 + L);
            c20.add(FloatVector.fromArray(S, out, o2)).intoArray(out, o2);
            c21.add(FloatVector.fromArray(S, out, o2 + L)).intoArray(out, o2 + L);
            c30.add(FloatVector.fromArray(S, out, o3)).intoArray(out, o3);
            c31.add(FloatVector.fromArray(S, out, o3 + L)).intoArray(out, o3 + L);
        } else {
            c00.intoArray(out, o);
            c01.intoArray(out, o + L);
            c10.intoArray(out, o1);
            c11.intoArray(out, o1 + L);
            c20.intoArray(out, o2);
            c21.intoArray(out, o2 + L);
            c30.intoArray(out, o3);
            c31.intoArray(out, o3 + L);
        }
    }

    /** One row of {@link #kernel4}. */
    private static void kernel1(int k, float[] x, int xIdx, float[] y, int yIdx, float[] out, int o, boolean add) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0;
        for (int p = 0; p < k; p++) {
            int yp = yIdx + p * NR;
            FloatVector v = FloatVector.broadcast(S, x[xIdx + p]);
            c0 = v.fma(FloatVector.fromArray(S, y, yp), c0);
            c1 = v.fma(FloatVector.fromArray(S, y, yp + L), c1);
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(S, out, o));
            c1 = c1.add(FloatVector.fromArray(S, out, o + L));
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + L);
    }
}
