package kiln.runtime.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import kiln.dsl.Activation;
import kiln.runtime.parallel.ParallelTask;
import kiln.runtime.parallel.WorkerPool;

/**
 * 2-D convolution of a batch of NCHW images for one layer of fixed geometry, PyTorch's
 * conventions: x [n, cin, h, w], weight [cout, cin, k, k], bias [cout], y [n, cout, ho, wo] with
 * {@code ho = (h + 2 pad - k) / stride + 1}; cross-correlation, zero padding. Forward fuses the
 * bias, the activation and optionally a max-pool; backward fuses the activation's derivative
 * (through the pool's arg-max), the bias and weight gradients, and the input gradient. The same
 * object runs the transposed convolution of this geometry ({@link #transposedForward}), whose
 * input is [n, cout, ho, wo] and output [n, cin, h, w] with PyTorch's ConvTranspose2d weight
 * layout [in = cout, out = cin, k, k].
 *
 * <p>Per image, the convolution is a matrix product {@code Z[cout, grid] = W[cout, taps] · B[taps, grid]}
 * over the {@code taps = cin k k} kernel positions. Row t of B is input channel ci shifted by
 * (kh, kw), so B is never built when it need not be:
 * <ul>
 *   <li><b>stride 1, shifted rows</b>: the image is copied once into a zero-padded buffer
 *       [cin, h + 2 pad, w + 2 pad], and row t of B is that buffer read from offset
 *       {@code ci (h+2p)(w+2p) + kh (w+2p) + kw}. The grid is the output on rows of the padded width,
 *       {@code ho x (w + 2 pad)}: its last {@code k - 1} columns are discarded (computed on data of
 *       the next row). No im2col copy: k x k fewer bytes written than im2col, and measured about
 *       twice as fast as im2col on the LeNet and ResNet layers despite the extra columns. The input
 *       gradient is the full correlation of the zero-margined output gradient with the kernel, the
 *       same shifted-row product.
 *   <li><b>strided, im2col</b>: B [taps, ho wo] is gathered explicitly; the input gradient is
 *       {@code W^T · dZ} scattered back (col2im).
 * </ul>
 * The product is a register-blocked micro-kernel, 4 output rows x 3 vectors (12 accumulators, 3
 * B vectors and a broadcast: the 16 AVX2 registers; narrower blocks at the edges; 6 x 2 for
 * six-row products such as LeNet's 6 channels), that broadcasts a weight against the vectors
 * of B per tap; B's row offsets come from a table, so one kernel serves both forms and the
 * input gradient. The weight gradient is computed
 * transposed, {@code dW^T[taps, cout] = B · dZ^T}: B values broadcast against vectors of output
 * channels, the sum over the grid kept in registers a chunk at a time. A layer of at most one
 * vector of channels (LeNet's conv1: 6 of 8 lanes, and a tap offset per broadcast) takes dot
 * products of B and dZ rows along the grid instead, 2 channels x 4 taps at a time, about 1.6x as
 * fast there; on wider layers dot products ran at half the speed (they re-stream both operands
 * for every block).
 *
 * <p>Images are handed out to the pool's workers in chunks, a chunk to whichever worker asks next,
 * so a core that the virtual machine slows down takes fewer (with an even split, a LeNet step at
 * 2 threads once spent 3.9 ms in one core's share and 2.8 ms in the other's). Each worker has its
 * own scratch (allocated here); each chunk has its own partial weight and bias gradients, summed
 * in chunk order after the batch, so the sums are grouped the same way whichever worker took
 * which chunk, at any thread count. Calls allocate nothing. Not thread-safe: one model owns one
 * instance per layer.
 */
public final class Conv2d {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    final int cin, h, w, cout, k, stride, pad, ho, wo;
    /** cin k k: the reduction length of the forward product. */
    final int taps;
    /** Stride 1: rows of B are shifted views of the padded image. Otherwise im2col. */
    final boolean shifted;
    private final int hp, wp;        // the padded input (shifted form)
    private final int gw;            // grid row width: wp (shifted) or wo (im2col)
    private final int grid;          // ho * gw
    private final int gridPad;       // grid rounded up to whole vectors: the columns computed
    private final boolean gridDots;  // cout fits one vector: the weight gradient takes dot products along the grid
    private final int[] tapOff;      // [taps]: where row t of B starts in the B buffer
    private final int bSize;
    private final int dzStride;      // floats per output channel in the dz buffer
    private final int[] dzRow;       // [cout]: where channel co's dz row starts
    private final int planePad;      // shifted: hp wp rounded up to vectors, columns of the full correlation
    private final int[] fullOff;     // shifted: [cout k k] offsets into dz of the full correlation's rows
    private final float[] weightT;   // shifted: [cin][cout k k], the weight with its two channel axes swapped
    private final int coutPad;       // cout rounded up to whole vectors: the row length of dZ^T and dW^T
    /** Fused max-pool window and stride (0: none), and the pooled size. */
    final int poolK, poolS, ph, pw;

    /**
     * Chunks a batch is cut into, whatever the thread count: enough for a faster core to take
     * more, few enough that each amortises its claim and its gradient partial. Fixed, so the
     * gradient sums are grouped the same way at any thread count.
     */
    static final int CHUNKS = 16;

    private final WorkerPool pool;
    private final Task task;

    /** A convolution without pooling. */
    public Conv2d(WorkerPool pool, int cin, int h, int w, int cout, int k, int stride, int pad) {
        this(pool, cin, h, w, cout, k, stride, pad, 0, 0, stride == 1);
    }

    /**
     * A convolution whose activated output is max-pooled over {@code poolK x poolK} windows with
     * stride {@code poolS} (no padding) in the same pass; y is then [n, cout, ph, pw] and the
     * pre-pool output is never stored.
     */
    public Conv2d(WorkerPool pool, int cin, int h, int w, int cout, int k, int stride, int pad, int poolK, int poolS) {
        this(pool, cin, h, w, cout, k, stride, pad, poolK, poolS, stride == 1);
    }

    /** {@code shifted} picks the form; only stride 1 may be shifted (tests compare both). */
    Conv2d(WorkerPool pool, int cin, int h, int w, int cout, int k, int stride, int pad, int poolK, int poolS,
           boolean shifted) {
        if (cin < 1 || h < 1 || w < 1 || cout < 1 || k < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("bad convolution geometry: cin " + cin + ", " + h + "x" + w + ", cout " + cout
                    + ", kernel " + k + ", stride " + stride + ", padding " + pad);
        }
        if (shifted && stride != 1) throw new IllegalArgumentException("the shifted form needs stride 1, got " + stride);
        this.pool = pool;
        this.cin = cin;
        this.h = h;
        this.w = w;
        this.cout = cout;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.ho = (h + 2 * pad - k) / stride + 1;
        this.wo = (w + 2 * pad - k) / stride + 1;
        if (h + 2 * pad < k || w + 2 * pad < k) throw new IllegalArgumentException("kernel " + k + " exceeds the padded input");
        this.taps = cin * k * k;
        this.shifted = shifted;
        this.hp = h + 2 * pad;
        this.wp = w + 2 * pad;
        this.gw = shifted ? wp : wo;
        this.grid = ho * gw;
        this.gridPad = roundUp(grid);
        this.tapOff = new int[taps];
        for (int ci = 0; ci < cin; ci++) {
            for (int kh = 0; kh < k; kh++) {
                for (int kw = 0; kw < k; kw++) {
                    int t = (ci * k + kh) * k + kw;
                    tapOff[t] = shifted ? ci * hp * wp + kh * wp + kw : t * gridPad;
                }
            }
        }
        this.bSize = shifted ? tapOff[taps - 1] + gridPad : taps * gridPad;
        this.dzRow = new int[cout];
        if (shifted) {
            int margin = (k - 1) * wp + (k - 1); // the full correlation reads this far before a row's start
            this.planePad = roundUp(hp * wp);
            this.dzStride = margin + planePad;
            this.fullOff = new int[cout * k * k];
            for (int co = 0; co < cout; co++) {
                dzRow[co] = co * dzStride + margin;
                for (int kh = 0; kh < k; kh++) {
                    for (int kw = 0; kw < k; kw++) fullOff[(co * k + kh) * k + kw] = dzRow[co] - kh * wp - kw;
                }
            }
            this.weightT = new float[cin * cout * k * k];
        } else {
            this.planePad = 0;
            this.dzStride = gridPad;
            for (int co = 0; co < cout; co++) dzRow[co] = co * gridPad;
            this.fullOff = null;
            this.weightT = null;
        }
        if (poolK < 0 || poolS < 0 || (poolK == 0) != (poolS == 0) || poolK > Math.min(ho, wo)) {
            throw new IllegalArgumentException("bad fused pool " + poolK + "/" + poolS + " on " + ho + "x" + wo);
        }
        this.coutPad = roundUp(cout);
        this.gridDots = coutPad == L;
        this.poolK = poolK;
        this.poolS = poolS;
        this.ph = poolK == 0 ? ho : (ho - poolK) / poolS + 1;
        this.pw = poolK == 0 ? wo : (wo - poolK) / poolS + 1;
        this.task = new Task(pool.threads());
    }

    /** Floats per input image, cin h w. */
    public int inputSize() {
        return cin * h * w;
    }

    /** Floats per output image: cout ho wo, or cout ph pw when pooled. */
    public int outputSize() {
        return cout * ph * pw;
    }

    /**
     * {@code y = act(conv(x) + bias)}, max-pooled when this kernel pools: x [n, cin, h, w] to
     * y [n, cout, ho, wo] (or [n, cout, ph, pw]). {@code bias} may be null. When pooled,
     * {@code argmax} [n, cout, ph, pw] receives each window's winner for {@link #backward}; otherwise
     * it may be null.
     */
    public void forward(float[] x, float[] weight, float[] bias, Activation act, float[] y, int[] argmax, int n) {
        checkArrays(n, x, inputSize(), y, outputSize(), weight, bias, cout);
        if (poolK > 0 && (argmax == null || argmax.length < (long) n * outputSize())) {
            throw new IllegalArgumentException("a pooled convolution needs an argmax array of n x " + outputSize());
        }
        Task t = task.set(Op.FORWARD, x, weight, bias, act, y, argmax, null, null, null, null, false, n);
        pool.run(t);
        t.clear();
    }

    /**
     * Gradients of {@link #forward}, given its input x, its output y and dL/dy: with
     * {@code dZ = dL/dy * act'(y)} (routed to each window's arg-max when pooled),
     * {@code dWeight = sum dZ ⋆ x} and {@code dBias = sum dZ} (both overwritten; dBias may be null),
     * and, when {@code dx} is not null, {@code dx (+)= conv^T(dZ)}.
     */
    public void backward(float[] x, float[] weight, float[] y, float[] dy, int[] argmax, Activation act,
                         float[] dWeight, float[] dBias, float[] dx, boolean accumulate, int n) {
        checkArrays(n, x, inputSize(), y, outputSize(), weight, dBias, cout);
        checkArrays(n, dx == null ? x : dx, inputSize(), dy, outputSize(), dWeight, null, cout);
        if (shifted && dx != null) transposeWeight(weight);
        Task t = task.set(Op.BACKWARD, x, weight, null, act, y, argmax, dy, dWeight, dBias, dx, accumulate, n);
        pool.run(t);
        t.reduceGradients(dWeight, dBias, cout);
        t.clear();
    }

    /**
     * The transposed convolution of this geometry: {@code y = act(conv^T(x) + bias)} with
     * x [n, cout, ho, wo], y [n, cin, h, w], weight [cout, cin, k, k] (ConvTranspose2d's
     * [in, out, k, k]) and bias [cin] or null. Never pooled.
     */
    public void transposedForward(float[] x, float[] weight, float[] bias, Activation act, float[] y, int n) {
        if (poolK > 0) throw new IllegalStateException("a pooled convolution has no transpose");
        checkArrays(n, y, inputSize(), x, outputSize(), weight, bias, cin);
        if (shifted) transposeWeight(weight);
        Task t = task.set(Op.T_FORWARD, x, weight, bias, act, y, null, null, null, null, null, false, n);
        pool.run(t);
        t.clear();
    }

    /**
     * Gradients of {@link #transposedForward}: {@code dZ = dL/dy * act'(y)} [n, cin, h, w],
     * {@code dWeight} and {@code dBias} [cin] (overwritten; dBias may be null), and
     * {@code dx (+)= conv(dZ)} [n, cout, ho, wo] when dx is not null.
     */
    public void transposedBackward(float[] x, float[] weight, float[] y, float[] dy, Activation act,
                                   float[] dWeight, float[] dBias, float[] dx, boolean accumulate, int n) {
        if (poolK > 0) throw new IllegalStateException("a pooled convolution has no transpose");
        checkArrays(n, y, inputSize(), x, outputSize(), weight, dBias, cin);
        checkArrays(n, dy, inputSize(), dx == null ? x : dx, outputSize(), dWeight, null, cin);
        Task t = task.set(Op.T_BACKWARD, x, weight, null, act, y, null, dy, dWeight, dBias, dx, accumulate, n);
        pool.run(t);
        t.reduceGradients(dWeight, dBias, cin);
        t.clear();
    }

    private void checkArrays(int n, float[] in, int inSize, float[] out, int outSize, float[] weight, float[] bias, int biasSize) {
        if (n < 0) throw new IllegalArgumentException("negative batch " + n);
        check("input", in, (long) n * inSize);
        check("output", out, (long) n * outSize);
        check("weight", weight, (long) cout * taps);
        if (bias != null) check("bias", bias, biasSize);
    }

    private static void check(String what, float[] a, long need) {
        if (a == null) throw new NullPointerException(what);
        if (a.length < need) throw new IllegalArgumentException(what + " holds " + a.length + " floats, needs " + need);
    }

    /** weightT[ci][co k k + t] = weight[co][ci][t]: the rows of the full correlation. */
    private void transposeWeight(float[] weight) {
        int kk = k * k;
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) {
                System.arraycopy(weight, (co * cin + ci) * kk, weightT, ci * cout * kk + co * kk, kk);
            }
        }
    }

    private static int roundUp(int x) {
        return (x + L - 1) / L * L;
    }

    private enum Op { FORWARD, BACKWARD, T_FORWARD, T_BACKWARD }

    /** Scratch of one worker, for one image at a time. */
    private final class Workspace {
        final float[] b = new float[bSize];                                     // B: padded image, or im2col [taps][gridPad]
        final float[] z = new float[cout * gridPad];                            // Z = W·B [cout][gridPad]
        final float[] dz = new float[cout * dzStride];                          // dZ rows (with zero margins when shifted)
        final float[] db = new float[shifted ? cin * planePad : taps * gridPad]; // dB: padded dX, or dCol [taps][gridPad]
        final float[] plane = new float[cin * h * w];                           // transposed backward: dZ of the image
        final float[] dzT = new float[gridPad * coutPad];                       // dZ^T [gridPad][coutPad], for the weight gradient
    }

    /** The call in flight, read by every worker: set by the caller, cleared after. */
    private final class Task implements ParallelTask {
        final Workspace[] spaces;
        final float[][] chunkWeight; // [chunk][taps * coutPad]: the chunk's dW^T
        final float[][] chunkBias;   // [chunk][max(cin, cout) * L]: per-lane partial bias sums
        final AtomicInteger nextChunk = new AtomicInteger();
        Op op;
        float[] x, weight, bias, y, dy, dWeight, dBias, dx;
        int[] argmax;
        Activation act;
        boolean accumulate;
        int n;

        Task(int workers) {
            spaces = new Workspace[workers];
            for (int i = 0; i < workers; i++) spaces[i] = new Workspace();
            chunkWeight = new float[CHUNKS][taps * coutPad];
            chunkBias = new float[CHUNKS][Math.max(cin, cout) * L];
        }

        Task set(Op op, float[] x, float[] weight, float[] bias, Activation act, float[] y, int[] argmax, float[] dy,
                 float[] dWeight, float[] dBias, float[] dx, boolean accumulate, int n) {
            this.op = op;
            this.x = x;
            this.weight = weight;
            this.bias = bias;
            this.act = act;
            this.y = y;
            this.argmax = argmax;
            this.dy = dy;
            this.dWeight = dWeight;
            this.dBias = dBias;
            this.dx = dx;
            this.accumulate = accumulate;
            this.n = n;
            nextChunk.set(0);
            return this;
        }

        void clear() {
            x = weight = bias = y = dy = dWeight = dBias = dx = null;
            argmax = null;
        }

        @Override
        public void run(int worker, int workers) {
            Workspace ws = spaces[worker];
            boolean gradients = op == Op.BACKWARD || op == Op.T_BACKWARD;
            for (int c = nextChunk.getAndIncrement(); c < CHUNKS; c = nextChunk.getAndIncrement()) {
                float[] dWeightT = chunkWeight[c], dBiasLanes = chunkBias[c];
                if (gradients) {
                    Arrays.fill(dWeightT, 0f);
                    Arrays.fill(dBiasLanes, 0f);
                }
                int to = (int) ((long) n * (c + 1) / CHUNKS);
                for (int img = (int) ((long) n * c / CHUNKS); img < to; img++) image(ws, dWeightT, dBiasLanes, img);
            }
        }

        /** This call's op on one image, its gradients added to the chunk's partials. */
        private void image(Workspace ws, float[] dWeightT, float[] dBiasLanes, int img) {
            int xo = img * inputSize(), yo = img * outputSize();
            switch (op) {
                case FORWARD -> {
                    loadB(ws, x, xo);
                    multiply(weight, taps, 1, tapOff, taps, ws.b, ws.z, gridPad, cout, gridPad);
                    if (poolK > 0) poolEpilogue(ws.z, bias, act, y, argmax, yo);
                    else epilogue(ws.z, bias, act, y, yo);
                }
                case BACKWARD -> {
                    if (poolK > 0) pooledDz(ws, dy, y, argmax, act, yo);
                    else denseDz(ws.dz, dy, y, act, yo);
                    sumRows(ws.dz, dzRow, cout, dBiasLanes);
                    loadB(ws, x, xo);
                    weightGradient(ws, dWeightT, poolK > 0);
                    if (dx != null) inputGradient(ws, weight, dx, xo, accumulate);
                }
                case T_FORWARD -> { // y (in x-space of this geometry) = conv^T(x)
                    placeDz(ws.dz, x, yo);
                    inputGradient(ws, weight, y, xo, false);
                    biasActivate(y, xo, bias, act);
                }
                case T_BACKWARD -> {
                    planeDz(ws.plane, dy, y, act, xo);
                    sumPlanes(ws.plane, dBiasLanes);
                    loadB(ws, ws.plane, 0);
                    if (dx != null) {
                        multiply(weight, taps, 1, tapOff, taps, ws.b, ws.z, gridPad, cout, gridPad);
                        extract(ws.z, dx, yo, accumulate);
                    }
                    placeDz(ws.dz, x, yo);
                    weightGradient(ws, dWeightT, false);
                }
            }
        }

        /**
         * Sums the chunks' dW^T, in chunk order, into dWeight [cout][taps], and their per-lane bias
         * partials into dBias [channels]. The sum collects in chunk 0's partial.
         */
        void reduceGradients(float[] dWeightOut, float[] dBiasOut, int biasChannels) {
            float[] sum = chunkWeight[0];
            for (int c = 1; c < CHUNKS; c++) addOrCopy(chunkWeight[c], 0, sum, 0, sum.length, true);
            for (int co = 0; co < cout; co++) {
                for (int t = 0; t < taps; t++) dWeightOut[co * taps + t] = sum[t * coutPad + co];
            }
            if (dBiasOut == null) return;
            for (int ch = 0; ch < biasChannels; ch++) {
                FloatVector lanes = FloatVector.zero(S);
                for (float[] partial : chunkBias) lanes = lanes.add(FloatVector.fromArray(S, partial, ch * L));
                dBiasOut[ch] = VectorMath.sum(lanes);
            }
        }
    }

    // ---------------------------------------------------------------- per-image steps

    /** B from the image at src[off]: [cin, h, w] into the padded buffer (shifted), or im2col. */
    private void loadB(Workspace ws, float[] src, int off) {
        float[] b = ws.b;
        if (shifted) { // the borders were zeroed at allocation and are never written
            for (int ci = 0; ci < cin; ci++) {
                for (int r = 0; r < h; r++) {
                    System.arraycopy(src, off + (ci * h + r) * w, b, (ci * hp + r + pad) * wp + pad, w);
                }
            }
            return;
        }
        for (int ci = 0; ci < cin; ci++) {
            for (int kh = 0; kh < k; kh++) {
                for (int kw = 0; kw < k; kw++) {
                    int row = tapOff[(ci * k + kh) * k + kw];
                    // columns ow whose input column ow*stride + kw - pad lies inside the image
                    int lo = Math.min(wo, Math.max(0, ceilDiv(pad - kw, stride)));
                    int hi = Math.max(lo, Math.min(wo, ceilDiv(w + pad - kw, stride)));
                    for (int oh = 0; oh < ho; oh++) {
                        int iy = oh * stride + kh - pad, at = row + oh * wo;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(b, at, at + wo, 0f);
                            continue;
                        }
                        int src0 = off + (ci * h + iy) * w + kw - pad;
                        for (int ow = 0; ow < lo; ow++) b[at + ow] = 0f;
                        for (int ow = lo; ow < hi; ow++) b[at + ow] = src[src0 + ow * stride];
                        for (int ow = hi; ow < wo; ow++) b[at + ow] = 0f;
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }

    /** y[yo + (co ho + oh) wo + ow] = act(z[co][oh gw + ow] + bias[co]). */
    private void epilogue(float[] z, float[] bias, Activation act, float[] y, int yo) {
        for (int co = 0; co < cout; co++) {
            float bc = bias == null ? 0f : bias[co];
            if (gw == wo) {
                Activations.apply(act, z, co * gridPad, 1f, bc, y, yo + co * ho * wo, ho * wo);
            } else {
                for (int oh = 0; oh < ho; oh++) {
                    Activations.apply(act, z, co * gridPad + oh * gw, 1f, bc, y, yo + (co * ho + oh) * wo, wo);
                }
            }
        }
    }

    /**
     * Max over each pool window of z, then + bias and act over the pooled plane in one vector pass
     * (for an activation that never decreases, the max commutes with it, so it runs once per
     * window); argmax holds each winner's grid index. Selection is branch-free: on real data the
     * winner is unpredictable, and mispredicted branches cost more than the arithmetic.
     */
    private void poolEpilogue(float[] z, float[] bias, Activation act, float[] y, int[] argmax, int yo) {
        for (int co = 0; co < cout; co++) {
            int zc = co * gridPad, plane = yo + co * ph * pw;
            for (int py = 0; py < ph; py++) {
                int out = plane + py * pw;
                if (poolK == 2 && poolS == 2) {
                    for (int px = 0, at = zc + 2 * py * gw; px < pw; px++, at += 2) {
                        float a = z[at], b = z[at + 1], c = z[at + gw], d = z[at + gw + 1];
                        int ab = b > a ? at + 1 : at, cd = d > c ? at + gw + 1 : at + gw;
                        float mab = Math.max(a, b), mcd = Math.max(c, d);
                        argmax[out + px] = (mcd > mab ? cd : ab) - zc;
                        y[out + px] = Math.max(mab, mcd);
                    }
                    continue;
                }
                for (int px = 0; px < pw; px++) {
                    int first = zc + py * poolS * gw + px * poolS, best = first;
                    float m = z[first];
                    for (int i = 0; i < poolK; i++) {
                        for (int j = 0, at = first + i * gw; j < poolK; j++, at++) {
                            float v = z[at];
                            best = v > m ? at : best;
                            m = Math.max(m, v);
                        }
                    }
                    argmax[out + px] = best - zc;
                    y[out + px] = m;
                }
            }
            Activations.apply(act, y, plane, 1f, bias == null ? 0f : bias[co], y, plane, ph * pw);
        }
    }

    /** dz rows = dy * act'(y), on the grid (columns past wo stay zero). */
    private void denseDz(float[] dz, float[] dy, float[] y, Activation act, int yo) {
        for (int co = 0; co < cout; co++) {
            if (gw == wo) {
                Activations.backward(act, dy, y, yo + co * ho * wo, dz, dzRow[co], ho * wo);
            } else {
                for (int oh = 0; oh < ho; oh++) {
                    Activations.backward(act, dy, y, yo + (co * ho + oh) * wo, dz, dzRow[co] + oh * gw, wo);
                }
            }
        }
    }

    /**
     * dz rows and dZ^T: zero, then each pool output's dy * act'(y) added at its window's arg-max
     * (dZ is sparse here, so it is scattered into both layouts rather than transposed).
     */
    private void pooledDz(Workspace ws, float[] dy, float[] y, int[] argmax, Activation act, int yo) {
        float[] dz = ws.dz, dzT = ws.dzT;
        if (!gridDots) Arrays.fill(dzT, 0, grid * coutPad, 0f);
        for (int co = 0; co < cout; co++) {
            int row = dzRow[co];
            Arrays.fill(dz, row, row + grid, 0f);
            for (int p = yo + co * ph * pw, end = p + ph * pw; p < end; p++) {
                float g = Activations.backward(act, dy[p], y[p]);
                dz[row + argmax[p]] += g;
                if (!gridDots) dzT[argmax[p] * coutPad + co] += g;
            }
        }
    }

    /** dz rows = the image x[xo] [cout, ho, wo] laid out on the grid: the transposed convolution's input. */
    private void placeDz(float[] dz, float[] x, int xo) {
        for (int co = 0; co < cout; co++) {
            if (gw == wo) {
                System.arraycopy(x, xo + co * ho * wo, dz, dzRow[co], ho * wo);
            } else {
                for (int oh = 0; oh < ho; oh++) System.arraycopy(x, xo + (co * ho + oh) * wo, dz, dzRow[co] + oh * gw, wo);
            }
        }
    }

    /** plane [cin, h, w] = dy * act'(y) of one image of the transposed convolution's output. */
    private void planeDz(float[] plane, float[] dy, float[] y, Activation act, int off) {
        Activations.backward(act, dy, y, off, plane, 0, cin * h * w);
    }

    /** y[off + plane ci] = act(y + bias[ci]) in place, over [cin, h, w]. */
    private void biasActivate(float[] y, int off, float[] bias, Activation act) {
        if (bias == null && act == Activation.IDENTITY) return;
        for (int ci = 0; ci < cin; ci++) {
            Activations.apply(act, y, off + ci * h * w, 1f, bias == null ? 0f : bias[ci], y, off + ci * h * w, h * w);
        }
    }

    /** dx (+)= grid z [cout][gridPad] cropped to [cout, ho, wo]. */
    private void extract(float[] z, float[] dx, int off, boolean accumulate) {
        for (int co = 0; co < cout; co++) {
            for (int oh = 0; oh < ho; oh++) {
                addOrCopy(z, co * gridPad + oh * gw, dx, off + (co * ho + oh) * wo, wo, accumulate);
            }
        }
    }

    private static void addOrCopy(float[] src, int s, float[] dst, int d, int len, boolean accumulate) {
        if (!accumulate) {
            System.arraycopy(src, s, dst, d, len);
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] += src[s + i];
    }

    /** partial[c][lanes] += the row of dz at rows[c], over gridPad columns. */
    private void sumRows(float[] dz, int[] rows, int channels, float[] partial) {
        for (int c = 0; c < channels; c++) {
            FloatVector s = FloatVector.fromArray(S, partial, c * L);
            for (int j = 0; j < gridPad; j += L) s = s.add(FloatVector.fromArray(S, dz, rows[c] + j));
            s.intoArray(partial, c * L);
        }
    }

    /** partial[ci][lanes] += the sum of plane ci of [cin, h, w]. */
    private void sumPlanes(float[] plane, float[] partial) {
        int hw = h * w;
        for (int ci = 0; ci < cin; ci++) {
            FloatVector s = FloatVector.fromArray(S, partial, ci * L);
            int j = 0, base = ci * hw;
            for (int bound = S.loopBound(hw); j < bound; j += L) s = s.add(FloatVector.fromArray(S, plane, base + j));
            float tail = 0f;
            for (; j < hw; j++) tail += plane[base + j];
            s.add(FloatVector.zero(S).withLane(0, tail)).intoArray(partial, ci * L);
        }
    }

    /**
     * dX of one image from its dz rows, (+)= into dst[off] [cin, h, w]: the full correlation
     * (shifted) cropped to the image, or W^T · dZ scattered back (col2im).
     */
    private void inputGradient(Workspace ws, float[] weight, float[] dst, int off, boolean accumulate) {
        if (shifted) {
            multiply(weightT, cout * k * k, 1, fullOff, cout * k * k, ws.dz, ws.db, planePad, cin, planePad);
            for (int ci = 0; ci < cin; ci++) {
                for (int r = 0; r < h; r++) {
                    addOrCopy(ws.db, ci * planePad + (r + pad) * wp + pad, dst, off + (ci * h + r) * w, w, accumulate);
                }
            }
            return;
        }
        // dCol[t][j] = sum over co of W[co][t] dz[co][j]: A = W^T (row stride 1, column stride taps)
        multiply(weight, 1, taps, dzRow, cout, ws.dz, ws.db, gridPad, taps, gridPad);
        if (!accumulate) Arrays.fill(dst, off, off + cin * h * w, 0f);
        float[] col = ws.db;
        for (int ci = 0; ci < cin; ci++) {
            for (int kh = 0; kh < k; kh++) {
                for (int kw = 0; kw < k; kw++) {
                    int row = ((ci * k + kh) * k + kw) * gridPad;
                    int lo = Math.min(wo, Math.max(0, ceilDiv(pad - kw, stride)));
                    int hi = Math.max(lo, Math.min(wo, ceilDiv(w + pad - kw, stride)));
                    for (int oh = 0; oh < ho; oh++) {
                        int iy = oh * stride + kh - pad;
                        if (iy < 0 || iy >= h) continue;
                        int d0 = off + (ci * h + iy) * w + kw - pad, at = row + oh * wo;
                        for (int ow = lo; ow < hi; ow++) dst[d0 + ow * stride] += col[at + ow];
                    }
                }
            }
        }
    }

    /** Grid columns per chunk of the weight gradient: dZ^T's chunk (JC x coutPad) stays in L1 across all taps. */
    private static final int JC = 128;

    /**
     * This image's weight gradient, added to its chunk's dW^T [taps][coutPad] (dZ^T is built
     * here unless {@code transposed} says the caller already did):
     * {@code dW^T[t][co] += sum over j of B[t][j] dZ^T[j][co]}. dZ is transposed first, so the
     * product broadcasts B values against vectors of output channels and sums over the grid in
     * registers, a chunk of columns at a time.
     */
    private void weightGradient(Workspace ws, float[] dWeightT, boolean transposed) {
        if (gridDots) {
            dotWeightGradient(ws, dWeightT);
            return;
        }
        float[] dz = ws.dz, dzT = ws.dzT;
        if (!transposed) {
            for (int co = 0; co < cout; co++) {
                for (int j = 0, src = dzRow[co]; j < grid; j++) dzT[j * coutPad + co] = dz[src + j];
            }
        }
        int vectors = coutPad / L;
        for (int j0 = 0; j0 < grid; j0 += JC) {
            int j1 = Math.min(grid, j0 + JC);
            int t = 0;
            for (; t + 4 <= taps; t += 4) {
                int v = 0;
                for (; v + 2 <= vectors; v += 2) accumulate4x2(ws.b, t, dzT, j0, j1, v * L, dWeightT);
                if (v < vectors) accumulate4x1(ws.b, t, dzT, j0, j1, v * L, dWeightT);
            }
            for (; t < taps; t++) {
                for (int v = 0; v < vectors; v++) accumulate1x1(ws.b, t, dzT, j0, j1, v * L, dWeightT);
            }
        }
    }

    /**
     * The weight gradient of a narrow layer (cout at most one vector): dW^T[t][co] += the dot
     * product over the grid of B row t and dZ row co, both contiguous, two output channels by four
     * taps at a time. Vectorising over the grid rather than over the channels fills every lane (a
     * 6-channel layer used 6 of 8), needs no transposed dZ, and loads 6 vectors per 8 FMAs instead
     * of 9 values from 9 addresses.
     */
    private void dotWeightGradient(Workspace ws, float[] dwT) {
        float[] b = ws.b, dz = ws.dz;
        int co = 0;
        for (; co + 2 <= cout; co += 2) {
            int t = 0;
            for (; t + 4 <= taps; t += 4) dot2x4(b, t, dz, co, dwT);
            for (; t < taps; t++) {
                dot1x1(b, t, dz, co, dwT);
                dot1x1(b, t, dz, co + 1, dwT);
            }
        }
        for (; co < cout; co++) {
            for (int t = 0; t < taps; t++) dot1x1(b, t, dz, co, dwT);
        }
    }

    /** dW^T[t+r][co+c] += sum over the grid of B[t+r][j] dZ[co+c][j], r < 4, c < 2. */
    private void dot2x4(float[] b, int t, float[] dz, int co, float[] dwT) {
        int b0 = tapOff[t], b1 = tapOff[t + 1], b2 = tapOff[t + 2], b3 = tapOff[t + 3];
        int z0 = dzRow[co], z1 = dzRow[co + 1];
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        int j = 0;
        for (int bound = S.loopBound(grid); j < bound; j += L) {
            FloatVector d0 = FloatVector.fromArray(S, dz, z0 + j), d1 = FloatVector.fromArray(S, dz, z1 + j);
            FloatVector x = FloatVector.fromArray(S, b, b0 + j);
            a00 = x.fma(d0, a00);
            a10 = x.fma(d1, a10);
            x = FloatVector.fromArray(S, b, b1 + j);
            a01 = x.fma(d0, a01);
            a11 = x.fma(d1, a11);
            x = FloatVector.fromArray(S, b, b2 + j);
            a02 = x.fma(d0, a02);
            a12 = x.fma(d1, a12);
            x = FloatVector.fromArray(S, b, b3 + j);
            a03 = x.fma(d0, a03);
            a13 = x.fma(d1, a13);
        }
        float s00 = VectorMath.sum(a00), s01 = VectorMath.sum(a01);
        float s02 = VectorMath.sum(a02), s03 = VectorMath.sum(a03);
        float s10 = VectorMath.sum(a10), s11 = VectorMath.sum(a11);
        float s12 = VectorMath.sum(a12), s13 = VectorMath.sum(a13);
        for (; j < grid; j++) {
            float d0 = dz[z0 + j], d1 = dz[z1 + j];
            s00 += b[b0 + j] * d0;
            s10 += b[b0 + j] * d1;
            s01 += b[b1 + j] * d0;
            s11 += b[b1 + j] * d1;
            s02 += b[b2 + j] * d0;
            s12 += b[b2 + j] * d1;
            s03 += b[b3 + j] * d0;
            s13 += b[b3 + j] * d1;
        }
        int w = t * coutPad + co;
        dwT[w] += s00;
        dwT[w + 1] += s10;
        dwT[w + coutPad] += s01;
        dwT[w + coutPad + 1] += s11;
        dwT[w + 2 * coutPad] += s02;
        dwT[w + 2 * coutPad + 1] += s12;
        dwT[w + 3 * coutPad] += s03;
        dwT[w + 3 * coutPad + 1] += s13;
    }

    /** dW^T[t][co] += sum over the grid of B[t][j] dZ[co][j], on two chains. */
    private void dot1x1(float[] b, int t, float[] dz, int co, float[] dwT) {
        int b0 = tapOff[t], z0 = dzRow[co];
        FloatVector a0 = FloatVector.zero(S), a1 = a0;
        int j = 0;
        for (int bound = grid - 2 * L; j <= bound; j += 2 * L) {
            a0 = FloatVector.fromArray(S, b, b0 + j).fma(FloatVector.fromArray(S, dz, z0 + j), a0);
            a1 = FloatVector.fromArray(S, b, b0 + j + L).fma(FloatVector.fromArray(S, dz, z0 + j + L), a1);
        }
        float sum = VectorMath.sum(a0.add(a1));
        for (; j < grid; j++) sum += b[b0 + j] * dz[z0 + j];
        dwT[t * coutPad + co] += sum;
    }

    /** dW^T[t..t+3][c..c+2L) += sum over j in [j0, j1) of B[t+r][j] dZ^T[j][c..]. */
    private void accumulate4x2(float[] b, int t, float[] dzT, int j0, int j1, int c, float[] dwT) {
        int b0 = tapOff[t], b1 = tapOff[t + 1], b2 = tapOff[t + 2], b3 = tapOff[t + 3];
        int w0 = t * coutPad + c, w1 = w0 + coutPad, w2 = w1 + coutPad, w3 = w2 + coutPad;
        FloatVector a00 = FloatVector.fromArray(S, dwT, w0), a01 = FloatVector.fromArray(S, dwT, w0 + L);
        FloatVector a10 = FloatVector.fromArray(S, dwT, w1), a11 = FloatVector.fromArray(S, dwT, w1 + L);
        FloatVector a20 = FloatVector.fromArray(S, dwT, w2), a21 = FloatVector.fromArray(S, dwT, w2 + L);
        FloatVector a30 = FloatVector.fromArray(S, dwT, w3), a31 = FloatVector.fromArray(S, dwT, w3 + L);
        for (int j = j0, g = j0 * coutPad + c; j < j1; j++, g += coutPad) {
            FloatVector d0 = FloatVector.fromArray(S, dzT, g), d1 = FloatVector.fromArray(S, dzT, g + L);
            FloatVector x = FloatVector.broadcast(S, b[b0 + j]);
            a00 = x.fma(d0, a00);
            a01 = x.fma(d1, a01);
            x = FloatVector.broadcast(S, b[b1 + j]);
            a10 = x.fma(d0, a10);
            a11 = x.fma(d1, a11);
            x = FloatVector.broadcast(S, b[b2 + j]);
            a20 = x.fma(d0, a20);
            a21 = x.fma(d1, a21);
            x = FloatVector.broadcast(S, b[b3 + j]);
            a30 = x.fma(d0, a30);
            a31 = x.fma(d1, a31);
        }
        a00.intoArray(dwT, w0);
        a01.intoArray(dwT, w0 + L);
        a10.intoArray(dwT, w1);
        a11.intoArray(dwT, w1 + L);
        a20.intoArray(dwT, w2);
        a21.intoArray(dwT, w2 + L);
        a30.intoArray(dwT, w3);
        a31.intoArray(dwT, w3 + L);
    }

    private void accumulate4x1(float[] b, int t, float[] dzT, int j0, int j1, int c, float[] dwT) {
        int b0 = tapOff[t], b1 = tapOff[t + 1], b2 = tapOff[t + 2], b3 = tapOff[t + 3];
        int w0 = t * coutPad + c, w1 = w0 + coutPad, w2 = w1 + coutPad, w3 = w2 + coutPad;
        FloatVector a0 = FloatVector.fromArray(S, dwT, w0), a1 = FloatVector.fromArray(S, dwT, w1);
        FloatVector a2 = FloatVector.fromArray(S, dwT, w2), a3 = FloatVector.fromArray(S, dwT, w3);
        for (int j = j0, g = j0 * coutPad + c; j < j1; j++, g += coutPad) {
            FloatVector d = FloatVector.fromArray(S, dzT, g);
            a0 = FloatVector.broadcast(S, b[b0 + j]).fma(d, a0);
            a1 = FloatVector.broadcast(S, b[b1 + j]).fma(d, a1);
            a2 = FloatVector.broadcast(S, b[b2 + j]).fma(d, a2);
            a3 = FloatVector.broadcast(S, b[b3 + j]).fma(d, a3);
        }
        a0.intoArray(dwT, w0);
        a1.intoArray(dwT, w1);
        a2.intoArray(dwT, w2);
        a3.intoArray(dwT, w3);
    }

    private void accumulate1x1(float[] b, int t, float[] dzT, int j0, int j1, int c, float[] dwT) {
        int b0 = tapOff[t], w0 = t * coutPad + c;
        FloatVector a0 = FloatVector.fromArray(S, dwT, w0);
        for (int j = j0, g = j0 * coutPad + c; j < j1; j++, g += coutPad) {
            a0 = FloatVector.broadcast(S, b[b0 + j]).fma(FloatVector.fromArray(S, dzT, g), a0);
        }
        a0.intoArray(dwT, w0);
    }

    // ---------------------------------------------------------------- the product

    /**
     * {@code C[r ldc + j] = sum over q < depth of A[r ars + q acs] · B[bOff[q] + j]} for r < rows,
     * j < cols (a whole number of vectors). Column blocks outer, so a block of B (depth x 3
     * vectors) stays in L1 while every row of A passes over it. Measured on the LeNet and ResNet
     * shapes, 4 x 3 beats 4 x 2 by a third; 8 x 2 spills.
     */
    static void multiply(float[] a, int ars, int acs, int[] bOff, int depth, float[] b, float[] c, int ldc, int rows, int cols) {
        if (rows == 6 && acs == 1) { // LeNet's 6-channel layers: one pass of 12 accumulators, not a 4-row and a half-empty 2-row one
            int j = 0;
            for (; j + 2 * L <= cols; j += 2 * L) block6x2(a, ars, bOff, depth, b, j, c, j, ldc);
            if (j < cols) {
                block4x1(a, 0, ars, acs, bOff, depth, b, j, c, j, ldc);
                block1x1(a, 4 * ars, acs, bOff, depth, b, j, c, 4 * ldc + j);
                block1x1(a, 5 * ars, acs, bOff, depth, b, j, c, 5 * ldc + j);
            }
            return;
        }
        int j = 0;
        for (; j + 3 * L <= cols; j += 3 * L) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) block4x3(a, r * ars, ars, acs, bOff, depth, b, j, c, r * ldc + j, ldc);
            if (r + 2 <= rows) {
                block2x3(a, r * ars, ars, acs, bOff, depth, b, j, c, r * ldc + j, ldc);
                r += 2;
            }
            if (r < rows) {
                block1x2(a, r * ars, acs, bOff, depth, b, j, c, r * ldc + j);
                block1x1(a, r * ars, acs, bOff, depth, b, j + 2 * L, c, r * ldc + j + 2 * L);
            }
        }
        for (; j + 2 * L <= cols; j += 2 * L) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) block4x2(a, r * ars, ars, acs, bOff, depth, b, j, c, r * ldc + j, ldc);
            if (r + 2 <= rows) {
                block2x2(a, r * ars, ars, acs, bOff, depth, b, j, c, r * ldc + j, ldc);
                r += 2;
            }
            if (r < rows) block1x2(a, r * ars, acs, bOff, depth, b, j, c, r * ldc + j);
        }
        if (j < cols) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) block4x1(a, r * ars, ars, acs, bOff, depth, b, j, c, r * ldc + j, ldc);
            for (; r < rows; r++) block1x1(a, r * ars, acs, bOff, depth, b, j, c, r * ldc + j);
        }
    }

    /**
     * 6 rows x 2 vectors: 12 accumulators, 2 B loads and 6 broadcasts per 12 FMAs. Rows of A
     * are contiguous (column stride 1), so C2 hoists their bounds checks out of the loop; in the
     * 4 x 3 block that same freedom lets it load two broadcasts at once and spill an accumulator,
     * which is why the other blocks keep a run-time column stride.
     */
    private static void block6x2(float[] a, int ars, int[] bOff, int depth, float[] b, int j,
                                 float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int x1 = ars, x2 = 2 * ars, x3 = 3 * ars, x4 = 4 * ars, x5 = 5 * ars;
        for (int q = 0; q < depth; q++) {
            int bp = bOff[q] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[x1 + q]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[x2 + q]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[x3 + q]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[x4 + q]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[x5 + q]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + L);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + L);
    }

    private static void block2x2(float[] a, int a0, int ars, int acs, int[] bOff, int depth, float[] b, int j,
                                 float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        for (int q = 0, ap = a0; q < depth; q++, ap += acs) {
            int bp = bOff[q] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ap + ars]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + L);
    }

    /** 4 rows x 3 vectors: 12 accumulators, 3 B loads and 4 broadcasts per 12 FMAs. */
    private static void block4x3(float[] a, int a0, int ars, int acs, int[] bOff, int depth, float[] b, int j,
                                 float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int q = 0, ap = a0; q < depth; q++, ap += acs) {
            int bp = bOff[q] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[ap + ars]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[ap + 2 * ars]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[ap + 3 * ars]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c02.intoArray(c, c0 + 2 * L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c12.intoArray(c, c1 + 2 * L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c22.intoArray(c, c2 + 2 * L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c32.intoArray(c, c3 + 2 * L);
    }

    private static void block2x3(float[] a, int a0, int ars, int acs, int[] bOff, int depth, float[] b, int j,
                                 float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        for (int q = 0, ap = a0; q < depth; q++, ap += acs) {
            int bp = bOff[q] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[ap + ars]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
        }
        int c1 = c0 + ldc;
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c02.intoArray(c, c0 + 2 * L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c12.intoArray(c, c1 + 2 * L);
    }

    private static void block4x2(float[] a, int a0, int ars, int acs, int[] bOff, int depth, float[] b, int j,
                                 float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int q = 0, ap = a0; q < depth; q++, ap += acs) {
            int bp = bOff[q] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ap + ars]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ap + 2 * ars]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ap + 3 * ars]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
    }

    private static void block4x1(float[] a, int a0, int ars, int acs, int[] bOff, int depth, float[] b, int j,
                                 float[] c, int c0, int ldc) {
        FloatVector c0v = FloatVector.zero(S), c1v = c0v, c2v = c0v, c3v = c0v;
        for (int q = 0, ap = a0; q < depth; q++, ap += acs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bOff[q] + j);
            c0v = FloatVector.broadcast(S, a[ap]).fma(b0, c0v);
            c1v = FloatVector.broadcast(S, a[ap + ars]).fma(b0, c1v);
            c2v = FloatVector.broadcast(S, a[ap + 2 * ars]).fma(b0, c2v);
            c3v = FloatVector.broadcast(S, a[ap + 3 * ars]).fma(b0, c3v);
        }
        c0v.intoArray(c, c0);
        c1v.intoArray(c, c0 + ldc);
        c2v.intoArray(c, c0 + 2 * ldc);
        c3v.intoArray(c, c0 + 3 * ldc);
    }

    private static void block1x2(float[] a, int a0, int acs, int[] bOff, int depth, float[] b, int j, float[] c, int c0) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        for (int q = 0, ap = a0; q < depth; q++, ap += acs) {
            int bp = bOff[q] + j;
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(FloatVector.fromArray(S, b, bp), c00);
            c01 = x.fma(FloatVector.fromArray(S, b, bp + L), c01);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
    }

    private static void block1x1(float[] a, int a0, int acs, int[] bOff, int depth, float[] b, int j, float[] c, int c0) {
        FloatVector c00 = FloatVector.zero(S);
        for (int q = 0, ap = a0; q < depth; q++, ap += acs) {
            c00 = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bOff[q] + j), c00);
        }
        c00.intoArray(c, c0);
    }
}
