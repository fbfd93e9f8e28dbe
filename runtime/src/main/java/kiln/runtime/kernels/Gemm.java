package kiln.runtime.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.parallel.ParallelTask;
import kiln.runtime.parallel.WorkerPool;

/**
 * Single-precision matrix multiply for dense layers, the three products a dense layer needs:
 * <ul>
 *   <li>{@link #nt}: {@code C[m,n] = ep(A[m,k] · B[n,k]^T + bias[n])}, the forward pass
 *       {@code y = act(x W^T + b)} with W in PyTorch layout [out, in];
 *   <li>{@link #nn}: {@code C[m,n] (+)= A[m,k] · B[k,n]}, the input gradient {@code dX = dY · W};
 *   <li>{@link #tn}: {@code C[m,n] (+)= A[k,m]^T · B[k,n]}, the weight gradient {@code dW = dY^T · X}.
 * </ul>
 * All arrays are dense row-major; offsets address sub-tensors.
 *
 * <p>The BLAS way, on one generic product {@code OUT[R,Q] (+)= X[R,K] · Y[K,Q]}: Y is packed into
 * panels NR columns wide, contiguous over k; X into slivers of MR rows, each row contiguous over
 * k; a register-blocked micro-kernel keeps an MR x NR tile in accumulators, broadcasting one X
 * value against two Y vectors per row and k. Packing absorbs the transposes, so one micro-kernel
 * serves nt, nn and tn. Panels and slivers are zero-padded, so edge tiles run the same kernel into
 * a scratch tile and only their valid part is copied out.
 *
 * <p>In tn, X = A^T with A [k, m]: MR consecutive values of a row of A are one k of a sliver, so
 * its slivers are packed interleaved by k ([kc][MR], read by {@link #microKernel} with row stride 1), a copy rather than a
 * transpose, and the MR broadcasts of a k share one index (3–12% faster on the models' weight
 * gradients than row slivers, JMH fastest call).
 *
 * <p>Packing Y from a k-contiguous matrix is a transpose, the one costly pack. In nt both A and
 * B are k-contiguous, so when A is much the smaller the product is computed as
 * {@code C^T = B · A^T} and tiles are written to C transposed ({@link #writesTransposed}). For
 * the batch-64 MLP's first layer that transposes the 64-row activations instead of the 256-row
 * weights.
 *
 * <p>Blocking, outer to inner: Y blocks of kc x nc, packed and kept in L2 (kc at most 1024 and
 * kc * nc at most 64K floats, so narrow products get long k blocks and a short k gets wide
 * blocks); X blocks of MC rows; MR-row slivers, each kept in L1; NR-column panels streamed past
 * the sliver. X rows already contiguous in k are read in place when Y is narrow (the MLP's
 * batch of activations), otherwise copied into a padded block. Work is split between the
 * pool's workers by column panels or by row slivers, in pieces handed out from a counter
 * ({@link #CHUNKS_PER_WORKER}): each piece packs the whole of the operand not split, so the split
 * leaves the cheaper one to repeat. Problems under
 * {@link #PARALLEL_MIN_FMAS} run on the calling thread only.
 *
 * <p>An nt with at most {@link RowDots#MAX_ROWS} rows of A (batch-1 inference) skips all this:
 * {@link RowDots} streams the weights once as dot products.
 *
 * <p>An instance belongs to one model: packing buffers are allocated per worker in the
 * constructor and the call's arguments live in one reusable task object, so calls allocate
 * nothing. Not thread-safe.
 */
public final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Rows of the register block. 4 rows x 2 vectors = 8 accumulators: enough independent FMA
     * chains to cover latency x 2 FMA ports, and with 2 Y vectors and the broadcasts they fit the
     * 16 AVX2 registers. C2 keeps every broadcast live, so 6 x 2 spills an accumulator and runs at
     * half speed.
     */
    static final int MR = 4;
    /** Columns of the register block: two vectors. */
    static final int NR = 2 * L;
    /** Most k per block: an X sliver (MR x KC_MAX floats, 16 KiB) stays in L1 while Y panels stream past it. */
    static final int KC_MAX = 1024;
    /** Floats in one packed Y block (kc x nc): 256 KiB, half of a Zen 3 L2. */
    static final int Y_BLOCK = 64 * 1024;
    /**
     * Columns per packed Y block in wide products, which caps kc at Y_BLOCK / NC. Narrower
     * products get a longer kc instead, and a short k gets wider blocks.
     */
    static final int NC = 256;
    /**
     * X rows already contiguous in k are read in place when Y is at most this wide: packing them
     * costs about 5/Q of the multiply (7% at the MLP's Q = 64), while wide products reuse each
     * packed sliver over many panels and gain from a compact, conflict-free copy.
     */
    static final int DIRECT_X_MAX_COLS = 128;
    /**
     * Floats of padding after each packed X row. Without it a kc of 256 puts every row 1 KiB
     * apart, on the same few L1 sets, and the transposing pack for tn misses on every write.
     */
    static final int X_PAD = 16;
    /** Rows per packed X block (multiple of MR). */
    static final int MC = 128;
    /**
     * Pieces of work per worker in a parallel nt or nn. With one even share each, a 2-thread
     * call ran as slowly as its slower core. JMH medians at 2 threads with 4 pieces per worker,
     * alternated with the build before: square 1024 71–81 → 109–113 GFLOP/s, LeNet fc1 input
     * gradient 54–73 → 83–88, charlstm output layer 72–74 → 89–96; fastest calls unchanged.
     */
    static final int CHUNKS_PER_WORKER = 4;
    /** Multiply-adds below which waking the workers costs more than it saves. */
    static final long PARALLEL_MIN_FMAS = 1L << 18;
    /** Relative cost per element of packing by transposing versus by copying, for choosing the split. */
    private static final int TRANSPOSE_COST = 8;

    private final WorkerPool pool;
    private final Product product;

    public Gemm(WorkerPool pool) {
        if (pool == null) throw new NullPointerException("pool");
        this.pool = pool;
        this.product = new Product(pool.threads());
    }

    /**
     * {@code C[m,n] = ep(A[m,k] · B[n,k]^T + bias[n])}: the dense forward pass. {@code bias} may be
     * null only with {@link Epilogue#NONE}. C is overwritten.
     */
    public void nt(float[] a, int aOff, float[] b, int bOff, float[] bias, float[] c, int cOff,
                   int m, int n, int k, Epilogue ep) {
        if (ep == null) throw new NullPointerException("ep");
        checkShape(m, n, k);
        checkRange("A", a, aOff, (long) m * k);
        checkRange("B", b, bOff, (long) n * k);
        checkRange("C", c, cOff, (long) m * n);
        if (ep.hasBias()) checkRange("bias", bias, 0, n);
        if (m <= RowDots.MAX_ROWS) { // batch-1 inference: a packed tile would waste most of its lanes
            RowDots.nt(a, aOff, b, bOff, bias, c, cOff, m, n, k, ep);
            return;
        }
        bindNt(a, aOff, b, bOff, c, cOff, m, n, k);
        execute(k, false, ep, bias);
    }

    /**
     * {@code C[m,n] (+)= A[m,k] · B[n,k]^T} without an epilogue: the input gradient of a layer whose
     * weight is another's transposed (a tied decoder), which may add to a gradient already there.
     */
    public void nt(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        checkShape(m, n, k);
        checkRange("A", a, aOff, (long) m * k);
        checkRange("B", b, bOff, (long) n * k);
        checkRange("C", c, cOff, (long) m * n);
        if (m <= RowDots.MAX_ROWS && !accumulate) {
            RowDots.nt(a, aOff, b, bOff, null, c, cOff, m, n, k, Epilogue.NONE);
            return;
        }
        bindNt(a, aOff, b, bOff, c, cOff, m, n, k);
        execute(k, accumulate, Epilogue.NONE, null);
    }

    /** Sets up nt's product, the cheaper way round (see {@link #writesTransposed}). */
    private void bindNt(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
        Product p = product;
        if (writesTransposed(m, n, k)) { // C^T[n,m] = B[n,k] · A^T: transpose-pack A instead of B
            p.setX(b, bOff, k, 1, n);
            p.setY(a, aOff, 1, k, m);
            p.setOut(c, cOff, n, true);
        } else {
            p.setX(a, aOff, k, 1, m);
            p.setY(b, bOff, 1, k, n);
            p.setOut(c, cOff, n, false);
        }
    }

    /**
     * Whether nt computes {@code C^T = B · A^T}, transpose-packing A's m x k instead of B's n x k,
     * at the price of writing every tile of C transposed, which costs about three times as much
     * per element as the packing (scratch tile, scalar stores a row apart). On the benchmark
     * models' shapes this picks the faster way round in each case measured: transposed for
     * 64x256x784 and 32x1024x256, direct for 64x128x256, 64x84x120 and 65x1024x64.
     */
    static boolean writesTransposed(int m, int n, int k) {
        return (long) m * k + 3L * m * n < (long) n * k;
    }

    /** {@code C[m,n] (+)= A[m,k] · B[k,n]}: the dense input gradient. */
    public void nn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                   int m, int n, int k, boolean accumulate) {
        checkShape(m, n, k);
        checkRange("A", a, aOff, (long) m * k);
        checkRange("B", b, bOff, (long) k * n);
        checkRange("C", c, cOff, (long) m * n);
        product.setX(a, aOff, k, 1, m);
        product.setY(b, bOff, n, 1, n);
        product.setOut(c, cOff, n, false);
        execute(k, accumulate, Epilogue.NONE, null);
    }

    /** {@code C[m,n] (+)= A[k,m]^T · B[k,n]}: the dense weight gradient. */
    public void tn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                   int m, int n, int k, boolean accumulate) {
        checkShape(m, n, k);
        checkRange("A", a, aOff, (long) k * m);
        checkRange("B", b, bOff, (long) k * n);
        checkRange("C", c, cOff, (long) m * n);
        product.setX(a, aOff, 1, m, m);
        product.setY(b, bOff, n, 1, n);
        product.setOut(c, cOff, n, false);
        execute(k, accumulate, Epilogue.NONE, null);
    }

    private void execute(int k, boolean accumulate, Epilogue ep, float[] bias) {
        Product p = product;
        p.depth = k;
        p.accumulate = accumulate;
        p.ep = ep;
        p.bias = bias;
        try {
            if (p.rows == 0 || p.cols == 0) return;
            if (k == 0) {
                p.emptySum();
                return;
            }
            int workers = pool.threads();
            boolean parallel = workers > 1 && (long) p.rows * p.cols * k >= PARALLEL_MIN_FMAS;
            p.splitColumns = p.preferColumnSplit(parallel ? workers : 1);
            p.nextChunk.set(0);
            if (parallel) pool.run(p);
            else p.run(0, 1);
        } finally {
            p.clear(); // do not keep the caller's arrays reachable
        }
    }

    private static void checkShape(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM shape m=" + m + " n=" + n + " k=" + k);
        }
    }

    private static void checkRange(String name, float[] array, int off, long size) {
        if (array == null) throw new NullPointerException(name);
        if (off < 0 || off + size > array.length) {
            throw new IndexOutOfBoundsException(name + ": " + size + " floats from offset " + off
                    + " do not fit an array of " + array.length);
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** Packing buffers of one worker. */
    private static final class Workspace {
        final float[] packedX = new float[MC * (KC_MAX + X_PAD)]; // [MC rows][kc + X_PAD]
        final float[] packedY = new float[Y_BLOCK];     // [nc/NR panels][kc][NR]
        final float[] tile = new float[MR * NR];    // [MR][NR]: a tile that cannot be stored straight into C
    }

    /**
     * The call in flight as {@code OUT[R,Q] (+)= X[R,K] · Y[K,Q]}, set by the caller and read by
     * every worker. X(r,p) is {@code x[xOff + r*xRowStride + p*xDepthStride]}; Y(p,q) is
     * {@code y[yOff + p*yDepthStride + q*yColStride]}; OUT(r,q) is {@code c[cOff + r*ldc + q]},
     * or {@code c[cOff + q*ldc + r]} when {@code transposedOut}. The bias is indexed by C's column:
     * OUT's column q, or OUT's row r when transposed.
     */
    private static final class Product implements ParallelTask {
        final Workspace[] workspaces; // [workers]
        float[] x, y, c, bias;
        int xOff, xRowStride, xDepthStride;
        int yOff, yDepthStride, yColStride;
        int cOff, ldc;
        boolean transposedOut;
        int rows, cols, depth;
        boolean accumulate;
        Epilogue ep;
        boolean splitColumns;
        final AtomicInteger nextChunk = new AtomicInteger();

        Product(int workers) {
            workspaces = new Workspace[workers];
            for (int w = 0; w < workers; w++) workspaces[w] = new Workspace();
        }

        void setX(float[] x, int off, int rowStride, int depthStride, int rows) {
            this.x = x;
            this.xOff = off;
            this.xRowStride = rowStride;
            this.xDepthStride = depthStride;
            this.rows = rows;
        }

        void setY(float[] y, int off, int depthStride, int colStride, int cols) {
            this.y = y;
            this.yOff = off;
            this.yDepthStride = depthStride;
            this.yColStride = colStride;
            this.cols = cols;
        }

        void setOut(float[] c, int off, int ldc, boolean transposed) {
            this.c = c;
            this.cOff = off;
            this.ldc = ldc;
            this.transposedOut = transposed;
        }

        void clear() {
            x = y = c = bias = null;
        }

        /**
         * Whether to split the columns (each piece packs all of X) rather than the rows (each
         * packs all of Y): repeat the cheaper pack, as long as every worker gets a share.
         */
        boolean preferColumnSplit(int workers) {
            int panels = ceilDiv(cols, NR), slivers = ceilDiv(rows, MR);
            if (panels < workers || slivers < workers) return panels >= slivers;
            long repeatX = (long) rows * (xDepthStride == 1 ? 1 : TRANSPOSE_COST);
            long repeatY = (long) cols * (yColStride == 1 ? 1 : TRANSPOSE_COST);
            return repeatX <= repeatY;
        }

        /** k == 0: the sum is empty, so C is the epilogue of zero (or stays as it is). */
        void emptySum() {
            if (accumulate) return;
            for (int r = 0; r < rows; r++) {
                for (int q = 0; q < cols; q++) {
                    int j = transposedOut ? r : q;
                    c[outIndex(r, q)] = ep.apply(0f, ep.hasBias() ? bias[j] : 0f);
                }
            }
        }

        private int outIndex(int r, int q) {
            return transposedOut ? cOff + q * ldc + r : cOff + r * ldc + q;
        }

        @Override
        public void run(int worker, int workers) {
            Workspace ws = workspaces[worker];
            int units = splitColumns ? ceilDiv(cols, NR) : ceilDiv(rows, MR);
            int chunks = Math.min(units, chunks(workers));
            for (int chunk; (chunk = nextChunk.getAndIncrement()) < chunks; ) {
                int from = (int) ((long) units * chunk / chunks), to = (int) ((long) units * (chunk + 1) / chunks);
                if (splitColumns) multiplyBlock(ws, 0, rows, from * NR, Math.min(cols, to * NR));
                else multiplyBlock(ws, from * MR, Math.min(rows, to * MR), 0, cols);
            }
        }

        /**
         * Pieces the work is cut into, handed out from a counter so that a core the VM has slowed
         * takes fewer. Each piece repeats the pack of the operand not split. For nt and nn that
         * was measured to pay: charlstm's output layer (2048x65x256, split by rows, so each piece
         * transposes all of B) went up in median at 2 threads with its fastest call unchanged.
         * tn's X slivers cost too much to repeat (its fastest calls went 30% slower), so tn
         * gets one piece per worker.
         */
        private int chunks(int workers) {
            if (workers == 1) return 1;
            return xDepthStride == 1 ? CHUNKS_PER_WORKER * workers : workers;
        }

        /** OUT[r0:r1, q0:q1], over the full k, using one worker's buffers. */
        private void multiplyBlock(Workspace ws, int r0, int r1, int q0, int q1) {
            if (r0 >= r1 || q0 >= q1) return;
            int width = Math.min(NC, ceilDiv(q1 - q0, NR) * NR);
            int kBlocks = ceilDiv(depth, Math.min(KC_MAX, Y_BLOCK / width)); // equal blocks, no short last one
            int ncMax = Math.max(NR, Y_BLOCK / ceilDiv(depth, kBlocks) / NR * NR); // short k: wider blocks, fewer X packs
            boolean packAll = xDepthStride != 1 || q1 - q0 > DIRECT_X_MAX_COLS;
            boolean slivers = xDepthStride != 1; // X = A^T: packing MR-wide runs of A's rows is a copy
            for (int qc = q0; qc < q1; qc += ncMax) {
                int nc = Math.min(ncMax, q1 - qc);
                for (int kb = 0; kb < kBlocks; kb++) {
                    int pc = (int) ((long) depth * kb / kBlocks);
                    int kc = (int) ((long) depth * (kb + 1) / kBlocks) - pc;
                    packY(ws.packedY, pc, kc, qc, nc);
                    boolean add = accumulate || kb > 0;
                    Epilogue tileEp = kb == kBlocks - 1 ? ep : Epilogue.NONE; // only on the full sum
                    for (int rc = r0; rc < r1; rc += MC) {
                        int mc = Math.min(MC, r1 - rc);
                        if (slivers) packSlivers(ws.packedX, rc, mc, pc, kc);
                        else if (packAll) packX(ws.packedX, rc, mc, pc, kc);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            float[] px = ws.packedX;
                            int xStride = kc + X_PAD, xIdx = ir * xStride;
                            if (slivers) {
                                xIdx = ir * kc;
                                xStride = 0; // an interleaved sliver (see rowStride)
                            } else if (!packAll && mr == MR) {
                                px = x;
                                xIdx = xOff + (rc + ir) * xRowStride + pc;
                                xStride = xRowStride;
                            } else if (!packAll) { // edge sliver: a zero-padded copy, not reads past X
                                packX(ws.packedX, rc + ir, mr, pc, kc);
                                xIdx = 0;
                            }
                            for (int jr = 0; jr < nc; jr += NR) {
                                tile(ws, kc, px, xIdx, xStride, jr * kc, rc + ir, qc + jr,
                                        mr, Math.min(NR, nc - jr), add, tileEp);
                            }
                        }
                    }
                }
            }
        }

        /** One MR x NR tile of OUT at (r, q), of which mr x nr is inside OUT. */
        private void tile(Workspace ws, int kc, float[] px, int xIdx, int xStride, int yIdx, int r, int q,
                          int mr, int nr, boolean add, Epilogue tileEp) {
            if (!transposedOut && mr == MR && nr == NR) { // the common case: straight into C
                int at = cOff + r * ldc + q;
                microKernel(kc, px, xIdx, rowStride(xStride), depthStride(xStride), ws.packedY, yIdx, c, at, ldc, add);
                for (int i = 0; i < MR; i++) tileEp.applyInPlace(c, at + i * ldc, NR, bias, q);
                return;
            }
            float[] t = ws.tile;
            microKernel(kc, px, xIdx, rowStride(xStride), depthStride(xStride), ws.packedY, yIdx, t, 0, NR, false);
            if (transposedOut) {
                writeTransposed(t, r, q, mr, nr, add, tileEp);
                return;
            }
            for (int i = 0; i < mr; i++) {
                int at = cOff + (r + i) * ldc + q;
                for (int j = 0; j < nr; j++) c[at + j] = add ? c[at + j] + t[i * NR + j] : t[i * NR + j];
                tileEp.applyInPlace(c, at, nr, bias, q);
            }
        }

        /** X's row stride for the micro-kernel: an interleaved sliver ({@code xStride} 0) has its MR rows side by side. */
        private static int rowStride(int xStride) {
            return xStride == 0 ? 1 : xStride;
        }

        /** X's stride along k: MR in an interleaved sliver, else 1. */
        private static int depthStride(int xStride) {
            return xStride == 0 ? MR : 1;
        }

        /**
         * Tile row i is C's column r+i over rows q..q+nr. The epilogue runs on the tile, where the
         * bias is one value per row, so it stays vectorised; then the tile is copied out transposed.
         */
        private void writeTransposed(float[] t, int r, int q, int mr, int nr, boolean add, Epilogue tileEp) {
            for (int i = 0; i < mr; i++) {
                int row = i * NR;
                if (add) {
                    for (int j = 0; j < nr; j++) t[row + j] += c[cOff + (q + j) * ldc + r + i];
                }
                tileEp.applyInPlace(t, row, nr, bias, r + i, true);
            }
            for (int j = 0; j < nr; j++) {
                int at = cOff + (q + j) * ldc + r;
                for (int i = 0; i < mr; i++) c[at + i] = t[i * NR + j];
            }
        }

        /**
         * X[r0:r0+mc, pc:pc+kc] into rows of stride kc + X_PAD, [mc rounded up to MR][kc + X_PAD],
         * so the micro-kernel walks MR short streams. Rows past mc are zeroed so edge slivers run
         * the full kernel.
         */
        private void packX(float[] dst, int r0, int mc, int pc, int kc) {
            int stride = kc + X_PAD;
            if (xDepthStride == 1) { // rows already contiguous in k: copies
                for (int i = 0; i < mc; i++) System.arraycopy(x, xOff + (r0 + i) * xRowStride + pc, dst, i * stride, kc);
            } else { // X = A^T with A[k,m]: a transpose, reading each row of A in order
                for (int p = 0; p < kc; p++) {
                    int src = xOff + (pc + p) * xDepthStride + r0;
                    for (int i = 0; i < mc; i++) dst[i * stride + p] = x[src + i];
                }
            }
            for (int i = mc; i < ceilDiv(mc, MR) * MR; i++) java.util.Arrays.fill(dst, i * stride, i * stride + kc, 0f);
        }

        /**
         * X = A^T [r0:r0+mc, pc:pc+kc] (A [k, m] row-major) into slivers of MR rows interleaved by
         * k, [mc/MR][kc][MR]: row p of A holds each sliver's MR values of that k side by side, so
         * this is a copy, not a transpose. Rows past mc are zeroed.
         */
        private void packSlivers(float[] dst, int r0, int mc, int pc, int kc) {
            int full = mc / MR, step = kc * MR;
            for (int p = 0; p < kc; p++) {
                int src = xOff + (pc + p) * xDepthStride + r0, d = p * MR;
                for (int sl = 0; sl < full; sl++, src += MR, d += step) {
                    dst[d] = x[src];
                    dst[d + 1] = x[src + 1];
                    dst[d + 2] = x[src + 2];
                    dst[d + 3] = x[src + 3];
                }
                for (int i = 0; full * MR < mc && i < MR; i++) dst[d + i] = full * MR + i < mc ? x[src + i] : 0f;
            }
        }

        /**
         * Y[pc:pc+kc, q0:q0+nc] into panels of NR columns, [panel][kc][NR], columns past nc
         * zeroed so edge panels run the full kernel.
         */
        private void packY(float[] dst, int pc, int kc, int q0, int nc) {
            for (int jp = 0; jp < nc; jp += NR) {
                int base = jp * kc;
                int cols = Math.min(NR, nc - jp);
                if (yColStride != 1) { // Y = B^T with B[n,k]: a transpose, each run of k scattered with stride NR
                    for (int j = 0; j < NR; j++) {
                        if (j < cols) {
                            int src = yOff + (q0 + jp + j) * yColStride + pc;
                            for (int p = 0; p < kc; p++) dst[base + p * NR + j] = y[src + p];
                        } else {
                            for (int p = 0; p < kc; p++) dst[base + p * NR + j] = 0f;
                        }
                    }
                } else if (cols == NR) { // rows of Y contiguous: two vector copies per k
                    for (int p = 0; p < kc; p++) {
                        int src = yOff + (pc + p) * yDepthStride + q0 + jp, d = base + p * NR;
                        FloatVector.fromArray(S, y, src).intoArray(dst, d);
                        FloatVector.fromArray(S, y, src + L).intoArray(dst, d + L);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = yOff + (pc + p) * yDepthStride + q0 + jp, d = base + p * NR;
                        for (int j = 0; j < cols; j++) dst[d + j] = y[src + j];
                        for (int j = cols; j < NR; j++) dst[d + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The register block: {@code out[o + i*ldo + j] (+)= sum over p of X(i, p) * py[yIdx + p*NR + j]}
     * for the MR x NR tile, from a panel ([kc][NR]) and MR rows of X at
     * {@code px[xIdx + i*rowStride + p*depthStride]}: rows packed or in place (depth stride 1), or
     * an interleaved sliver (row stride 1, depth stride MR). Per k step: two Y vectors, MR
     * broadcasts, 2*MR independent FMAs.
     *
     * <p>The store is written out here, not in a helper taking the accumulators: once such a
     * helper is compiled on its own, C2 may stop inlining it and boxes every vector passed
     * (seen on AVX-512, where the compiled code is larger).
     */
    private static void microKernel(int kc, float[] px, int xIdx, int rowStride, int depthStride, float[] py, int yIdx,
                                    float[] out, int o, int ldo, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00,
                c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride;
        for (int p = 0, xp = xIdx, yp = yIdx; p < kc; p++, xp += depthStride, yp += NR) {
            FloatVector y0 = FloatVector.fromArray(S, py, yp);
            FloatVector y1 = FloatVector.fromArray(S, py, yp + L);
            FloatVector v = FloatVector.broadcast(S, px[xp]);
            c00 = v.fma(y0, c00);
            c01 = v.fma(y1, c01);
            v = FloatVector.broadcast(S, px[xp + r1]);
            c10 = v.fma(y0, c10);
            c11 = v.fma(y1, c11);
            v = FloatVector.broadcast(S, px[xp + r2]);
            c20 = v.fma(y0, c20);
            c21 = v.fma(y1, c21);
            v = FloatVector.broadcast(S, px[xp + r3]);
            c30 = v.fma(y0, c30);
            c31 = v.fma(y1, c31);
        }
        int o1 = o + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
        if (add) { // two straight-line store paths: no vector value merges across the branch
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
}
