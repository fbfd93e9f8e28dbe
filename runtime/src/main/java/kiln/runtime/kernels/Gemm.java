package kiln.runtime.kernels;

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
 * <p>The BLAS way: B is packed into panels NR columns wide, contiguous over k; A into slivers MR
 * rows tall; a register-blocked micro-kernel keeps an MR x NR tile of C in accumulators,
 * broadcasting one A value against two B vectors per row and k. Packing absorbs the transposes,
 * so the one micro-kernel serves all three products. Panels and slivers are zero-padded, so edge
 * tiles run the same kernel into a scratch tile and only their valid part is copied out.
 *
 * <p>Loops, outer to inner: NC columns, KC of k (B block packed, stays in L2), MC rows (A block
 * packed), MR slivers (A sliver stays in L1), NR panels (streamed from L2). Work is split between
 * the pool's workers by column panels or by row slivers, whichever dimension is larger, so the
 * packed operand that every worker repeats is the smaller one. Problems under
 * {@link #PARALLEL_MIN_FMAS} run on the calling thread only.
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
     * chains to cover latency x 2 FMA ports, and with 2 B vectors and the broadcasts they fit the
     * 16 AVX2 registers; C2 keeps every broadcast live, so 6 x 2 spills an accumulator and halves speed.
     */
    static final int MR = 4;
    /** Columns of the register block: two vectors. */
    static final int NR = 2 * L;
    /** k per block: the A sliver (MR x KC) stays in L1 while B panels stream past it. */
    static final int KC = 256;
    /** Rows per packed A block (multiple of MR). */
    static final int MC = 128;
    /** Columns per packed B block (multiple of NR): KC x NC floats stay in L2. */
    static final int NC = 512;
    /** Multiply-adds below which waking the workers costs more than it saves. */
    static final long PARALLEL_MIN_FMAS = 1L << 18;

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
        product.set(a, aOff, k, false, b, bOff, k, true, c, cOff, m, n, k, false, ep, bias);
        execute();
    }

    /** {@code C[m,n] (+)= A[m,k] · B[k,n]}: the dense input gradient. */
    public void nn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                   int m, int n, int k, boolean accumulate) {
        checkShape(m, n, k);
        checkRange("A", a, aOff, (long) m * k);
        checkRange("B", b, bOff, (long) k * n);
        checkRange("C", c, cOff, (long) m * n);
        product.set(a, aOff, k, false, b, bOff, n, false, c, cOff, m, n, k, accumulate, Epilogue.NONE, null);
        execute();
    }

    /** {@code C[m,n] (+)= A[k,m]^T · B[k,n]}: the dense weight gradient. */
    public void tn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                   int m, int n, int k, boolean accumulate) {
        checkShape(m, n, k);
        checkRange("A", a, aOff, (long) k * m);
        checkRange("B", b, bOff, (long) k * n);
        checkRange("C", c, cOff, (long) m * n);
        product.set(a, aOff, m, true, b, bOff, n, false, c, cOff, m, n, k, accumulate, Epilogue.NONE, null);
        execute();
    }

    private void execute() {
        Product p = product;
        try {
            if (p.m == 0 || p.n == 0) return;
            if (p.k == 0) {
                p.emptySum();
                return;
            }
            int panels = ceilDiv(p.n, NR), slivers = ceilDiv(p.m, MR);
            p.splitColumns = p.n >= p.m ? panels >= 2 : slivers < 2;
            boolean parallel = pool.threads() > 1 && (long) p.m * p.n * p.k >= PARALLEL_MIN_FMAS
                    && Math.max(panels, slivers) >= 2;
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
        final float[] packedA = new float[MC * KC]; // [MC/MR slivers][kc][MR]
        final float[] packedB = new float[KC * NC]; // [NC/NR panels][kc][NR]
        final float[] tile = new float[MR * NR];    // [MR][NR]: an edge tile before its valid part is copied out
    }

    /**
     * The arguments of the call in flight, set by the caller and read by every worker. Describes
     * A and B by leading dimension and orientation, so one driver serves nt, nn and tn.
     */
    private static final class Product implements ParallelTask {
        final Workspace[] workspaces; // [workers]
        float[] a, b, c, bias;
        int aOff, lda, bOff, ldb, cOff, m, n, k;
        boolean aTransposed; // A stored [k,m] instead of [m,k]
        boolean bTransposed; // B stored [n,k] instead of [k,n]
        boolean accumulate;
        Epilogue ep;
        boolean splitColumns;

        Product(int workers) {
            workspaces = new Workspace[workers];
            for (int w = 0; w < workers; w++) workspaces[w] = new Workspace();
        }

        void set(float[] a, int aOff, int lda, boolean aTransposed, float[] b, int bOff, int ldb, boolean bTransposed,
                 float[] c, int cOff, int m, int n, int k, boolean accumulate, Epilogue ep, float[] bias) {
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.aTransposed = aTransposed;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.bTransposed = bTransposed;
            this.c = c;
            this.cOff = cOff;
            this.m = m;
            this.n = n;
            this.k = k;
            this.accumulate = accumulate;
            this.ep = ep;
            this.bias = bias;
        }

        void clear() {
            a = b = c = bias = null;
        }

        /** k == 0: the sum is empty, so C is the epilogue of zero (or stays as it is). */
        void emptySum() {
            if (accumulate) return;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) c[cOff + i * n + j] = ep.apply(0f, ep.hasBias() ? bias[j] : 0f);
            }
        }

        @Override
        public void run(int worker, int workers) {
            Workspace ws = workspaces[worker];
            if (splitColumns) {
                int panels = ceilDiv(n, NR);
                int from = panels * worker / workers, to = panels * (worker + 1) / workers;
                multiplyBlock(ws, 0, m, from * NR, Math.min(n, to * NR));
            } else {
                int slivers = ceilDiv(m, MR);
                int from = slivers * worker / workers, to = slivers * (worker + 1) / workers;
                multiplyBlock(ws, from * MR, Math.min(m, to * MR), 0, n);
            }
        }

        /** C[i0:i1, j0:j1], over the full k, using one worker's buffers. */
        private void multiplyBlock(Workspace ws, int i0, int i1, int j0, int j1) {
            if (i0 >= i1 || j0 >= j1) return;
            int kBlocks = ceilDiv(k, KC); // equal blocks: 784 is 4 x 196, not 3 x 256 + 16
            for (int jc = j0; jc < j1; jc += NC) {
                int nc = Math.min(NC, j1 - jc);
                for (int kb = 0; kb < kBlocks; kb++) {
                    int pc = (int) ((long) k * kb / kBlocks);
                    int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
                    packB(ws.packedB, pc, kc, jc, nc);
                    boolean add = accumulate || kb > 0;
                    Epilogue tileEp = kb == kBlocks - 1 ? ep : Epilogue.NONE; // only on the full sum
                    for (int ic = i0; ic < i1; ic += MC) {
                        int mc = Math.min(MC, i1 - ic);
                        packA(ws.packedA, ic, mc, pc, kc);
                        for (int ir = 0; ir < mc; ir += MR) {
                            for (int jr = 0; jr < nc; jr += NR) {
                                tile(ws, kc, ir * kc, jr * kc, ic + ir, jc + jr,
                                        Math.min(MR, mc - ir), Math.min(NR, nc - jr), add, tileEp);
                            }
                        }
                    }
                }
            }
        }

        /** One MR x NR tile of C at (i, j), of which mr x nr is inside C. */
        private void tile(Workspace ws, int kc, int aIdx, int bIdx, int i, int j, int mr, int nr,
                          boolean add, Epilogue tileEp) {
            if (mr == MR && nr == NR) {
                int at = cOff + i * n + j;
                microKernel(kc, ws.packedA, aIdx, ws.packedB, bIdx, c, at, n, add);
                for (int r = 0; r < MR; r++) tileEp.applyInPlace(c, at + r * n, NR, bias, j);
                return;
            }
            float[] t = ws.tile; // the edge tile goes through scratch; only its valid part reaches C
            microKernel(kc, ws.packedA, aIdx, ws.packedB, bIdx, t, 0, NR, false);
            for (int r = 0; r < mr; r++) {
                int at = cOff + (i + r) * n + j;
                for (int q = 0; q < nr; q++) c[at + q] = add ? c[at + q] + t[r * NR + q] : t[r * NR + q];
                tileEp.applyInPlace(c, at, nr, bias, j);
            }
        }

        /**
         * A[i0:i0+mc, pc:pc+kc] into MR-row slivers, [sliver][p][r], rows past mc zeroed so edge
         * slivers run the full kernel.
         */
        private void packA(float[] dst, int i0, int mc, int pc, int kc) {
            for (int s = 0; s < mc; s += MR) {
                int base = s * kc;
                int rows = Math.min(MR, mc - s);
                if (aTransposed) { // A[k,m]: each p holds the sliver's rows side by side
                    for (int p = 0; p < kc; p++) {
                        int src = aOff + (pc + p) * lda + i0 + s, d = base + p * MR;
                        for (int r = 0; r < rows; r++) dst[d + r] = a[src + r];
                        for (int r = rows; r < MR; r++) dst[d + r] = 0f;
                    }
                } else { // A[m,k]: a transpose, each row's run of k scattered with stride MR
                    for (int r = 0; r < MR; r++) {
                        if (r < rows) {
                            int src = aOff + (i0 + s + r) * lda + pc;
                            for (int p = 0; p < kc; p++) dst[base + p * MR + r] = a[src + p];
                        } else {
                            for (int p = 0; p < kc; p++) dst[base + p * MR + r] = 0f;
                        }
                    }
                }
            }
        }

        /**
         * B[pc:pc+kc, j0:j0+nc] into NR-column panels, [panel][p][q], columns past nc zeroed so
         * edge panels run the full kernel.
         */
        private void packB(float[] dst, int pc, int kc, int j0, int nc) {
            for (int jp = 0; jp < nc; jp += NR) {
                int base = jp * kc;
                int cols = Math.min(NR, nc - jp);
                if (bTransposed) { // B[n,k]: a transpose, each column's run of k scattered with stride NR
                    for (int q = 0; q < NR; q++) {
                        if (q < cols) {
                            int src = bOff + (j0 + jp + q) * ldb + pc;
                            for (int p = 0; p < kc; p++) dst[base + p * NR + q] = b[src + p];
                        } else {
                            for (int p = 0; p < kc; p++) dst[base + p * NR + q] = 0f;
                        }
                    }
                } else if (cols == NR) { // B[k,n], full panel: two vector copies per p
                    for (int p = 0; p < kc; p++) {
                        int src = bOff + (pc + p) * ldb + j0 + jp, d = base + p * NR;
                        FloatVector.fromArray(S, b, src).intoArray(dst, d);
                        FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = bOff + (pc + p) * ldb + j0 + jp, d = base + p * NR;
                        for (int q = 0; q < cols; q++) dst[d + q] = b[src + q];
                        for (int q = cols; q < NR; q++) dst[d + q] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The register block: {@code out[o + r*ldo + q] (+)= sum over p of pa[aIdx + p*MR + r] * pb[bIdx + p*NR + q]}
     * for the MR x NR tile, from a kc-long A sliver ([kc][MR]) and B panel ([kc][NR]). Per k step:
     * two B vectors, MR broadcasts, 2*MR independent FMAs.
     */
    private static void microKernel(int kc, float[] pa, int aIdx, float[] pb, int bIdx,
                                    float[] out, int o, int ldo, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00,
                c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int ap = aIdx + p * MR, bp = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + L);
            FloatVector x = FloatVector.broadcast(S, pa[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
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
