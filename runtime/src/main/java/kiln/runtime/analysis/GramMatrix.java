package kiln.runtime.analysis;

import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.parallel.WorkerPool;

/**
 * The Gram matrix of data rows in double precision: {@code G = X^T X} [d, d] of float rows
 * X [n, d], or {@code (X - 1 c^T)^T (X - 1 c^T)} about a centre c (the scatter matrix when c is
 * the mean: n - 1 times the covariance). The uncentered one gives the right singular vectors of X
 * (its eigenvectors) and the squared singular values (its eigenvalues).
 *
 * <p>Only the upper triangle is computed, then mirrored. The BLAS way, specialised to
 * {@code A^T A}: blocks of {@link #KC} rows are converted to double (centre subtracted) and packed
 * twice, into panels {@link #NR} columns wide and into slivers {@link #MR} columns wide, each
 * contiguous over the rows; a register-blocked micro-kernel keeps an MR x NR tile of G in eight
 * vector accumulators, broadcasting one sliver value against two panel vectors per row. Columns
 * are zero-padded to a multiple of NR, so every tile runs the same kernel. Every entry of G sums
 * its block partials in block order, whichever worker computed them, so the result does not
 * depend on the number of threads.
 *
 * <p>Work is split between the workers of a {@link WorkerPool} by panels of G, handed out from a
 * counter largest first (panel p holds p + 1 tiles' worth of the triangle). Cost: n d^2 / 2
 * multiply-adds; 60,000 x 784 MNIST images take about a second (see {@code GramMatrixTimingTest}).
 */
public final class GramMatrix {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Data columns per sliver, the rows of a register tile of G. 4 x 2 vectors = 8 accumulators, as in kernels.Gemm. */
    static final int MR = 4;
    /** Data columns per panel, the columns of a register tile of G: two vectors. */
    static final int NR = 2 * L;
    /** Data rows per packed block: a panel (KC x NR doubles, 16 KiB with 512-bit vectors) stays in L1 while slivers stream past. */
    static final int KC = 128;
    /** Multiply-adds below which starting worker threads costs more than it saves. */
    static final long PARALLEL_MIN_FMAS = 1L << 24;

    private GramMatrix() {}

    /** {@code X^T X} [d, d] (row-major) of {@code rows} X [n, d], with as many threads as the machine has cores. */
    public static double[] of(float[] rows, int n, int d) {
        return compute(rows, n, d, null, defaultThreads());
    }

    /**
     * {@code sum_i (x_i - c)(x_i - c)^T} [d, d] of {@code rows} X [n, d] about {@code center} c [d]:
     * with c the mean, the scatter matrix, computed without the cancellation of
     * {@code X^T X - n c c^T}.
     */
    public static double[] centered(float[] rows, int n, int d, double[] center) {
        if (center == null) throw new NullPointerException("center");
        return compute(rows, n, d, center, defaultThreads());
    }

    /** As {@link #of} or {@link #centered} (center null: none), on {@code threads} threads. */
    static double[] compute(float[] rows, int n, int d, double[] center, int threads) {
        DataRows.check(rows, n, d);
        if (center != null && center.length != d) {
            throw new IllegalArgumentException("center has " + center.length + " values for " + d + " columns");
        }
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        boolean parallel = threads > 1 && (long) n * d * d / 2 >= PARALLEL_MIN_FMAS;
        Blocks blocks = new Blocks(rows, d, center, parallel ? threads : 1);
        try (WorkerPool pool = parallel ? new WorkerPool(threads) : null) {
            for (int first = 0; first < n; first += KC) {
                blocks.start(first, Math.min(KC, n - first));
                if (pool != null) {
                    pool.run(blocks::pack);
                    pool.run(blocks::multiply);
                } else {
                    blocks.pack(0, 1);
                    blocks.multiply(0, 1);
                }
            }
        }
        return blocks.symmetricResult();
    }

    private static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The packed block of rows now being added and the padded upper triangle of G; its two phases
     * per block, each split between the workers: {@link #pack} (by rows) then {@link #multiply}
     * (by panels of G).
     */
    private static final class Blocks {
        final float[] x;
        final int d, padded, panels, sliverCount;
        final double[] center; // [padded], zero past d
        final double[] slivers; // [padded / MR][kc][MR]
        final double[] panelData; // [panels][kc][NR]
        final double[] g; // [padded, padded], upper triangle by tiles
        final double[][] rowBuffers; // per worker [padded], zero past d
        final AtomicInteger nextPanel = new AtomicInteger();
        int first, kc;

        Blocks(float[] x, int d, double[] center, int threads) {
            this.x = x;
            this.d = d;
            int unit = Math.max(NR, MR);
            this.padded = (d + unit - 1) / unit * unit;
            this.panels = padded / NR;
            this.sliverCount = padded / MR;
            this.center = new double[padded];
            if (center != null) System.arraycopy(center, 0, this.center, 0, d);
            this.slivers = new double[KC * padded];
            this.panelData = new double[KC * padded];
            this.g = new double[padded * padded];
            this.rowBuffers = new double[threads][padded];
        }

        /** Selects rows [first, first + kc) as the next block. */
        void start(int first, int kc) {
            this.first = first;
            this.kc = kc;
            nextPanel.set(0);
        }

        /** Converts this worker's share of the block's rows to double less the centre, into slivers and panels. */
        void pack(int worker, int workers) {
            double[] row = rowBuffers[worker];
            int from = kc * worker / workers, to = kc * (worker + 1) / workers;
            for (int r = from; r < to; r++) {
                int in = (first + r) * d;
                for (int j = 0; j < d; j++) row[j] = x[in + j] - center[j];
                for (int s = 0, at = r * MR; s < sliverCount; s++, at += kc * MR) {
                    int j = s * MR;
                    slivers[at] = row[j];
                    slivers[at + 1] = row[j + 1];
                    slivers[at + 2] = row[j + 2];
                    slivers[at + 3] = row[j + 3];
                }
                for (int p = 0, at = r * NR; p < panels; p++, at += kc * NR) {
                    System.arraycopy(row, p * NR, panelData, at, NR);
                }
            }
        }

        /** Adds the packed block's products to this worker's panels of G, handed out largest first. */
        void multiply(int worker, int workers) {
            for (int taken = nextPanel.getAndIncrement(); taken < panels; taken = nextPanel.getAndIncrement()) {
                int panel = panels - 1 - taken;
                int firstColumn = panel * NR;
                int sliverEnd = (firstColumn + NR + MR - 1) / MR; // slivers up to the panel's last column
                for (int sliver = 0; sliver < sliverEnd; sliver++) {
                    tile(kc, slivers, sliver * kc * MR, panelData, panel * kc * NR, g, sliver * MR * padded + firstColumn, padded);
                }
            }
        }

        /** G as a full symmetric [d, d] matrix from its padded upper triangle. */
        double[] symmetricResult() {
            double[] out = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) out[i * d + j] = out[j * d + i] = g[i * padded + j];
            }
            return out;
        }
    }

    /**
     * {@code G[a0 + r][b0 + c] += sum_k sliver[k][r] * panel[k][c]} for r < MR, c < NR: one
     * register tile over kc rows. The store stays inline (a shared helper was seen to box the
     * accumulators on AVX-512; see kernels.Gemm).
     */
    private static void tile(int kc, double[] sliver, int sOff, double[] panel, int pOff, double[] g, int o, int ldg) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00,
                c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int k = 0, sp = sOff, pp = pOff; k < kc; k++, sp += MR, pp += NR) {
            DoubleVector y0 = DoubleVector.fromArray(S, panel, pp);
            DoubleVector y1 = DoubleVector.fromArray(S, panel, pp + L);
            DoubleVector v = DoubleVector.broadcast(S, sliver[sp]);
            c00 = v.fma(y0, c00);
            c01 = v.fma(y1, c01);
            v = DoubleVector.broadcast(S, sliver[sp + 1]);
            c10 = v.fma(y0, c10);
            c11 = v.fma(y1, c11);
            v = DoubleVector.broadcast(S, sliver[sp + 2]);
            c20 = v.fma(y0, c20);
            c21 = v.fma(y1, c21);
            v = DoubleVector.broadcast(S, sliver[sp + 3]);
            c30 = v.fma(y0, c30);
            c31 = v.fma(y1, c31);
        }
        int o1 = o + ldg, o2 = o1 + ldg, o3 = o2 + ldg;
        c00.add(DoubleVector.fromArray(S, g, o)).intoArray(g, o);
        c01.add(DoubleVector.fromArray(S, g, o + L)).intoArray(g, o + L);
        c10.add(DoubleVector.fromArray(S, g, o1)).intoArray(g, o1);
        c11.add(DoubleVector.fromArray(S, g, o1 + L)).intoArray(g, o1 + L);
        c20.add(DoubleVector.fromArray(S, g, o2)).intoArray(g, o2);
        c21.add(DoubleVector.fromArray(S, g, o2 + L)).intoArray(g, o2 + L);
        c30.add(DoubleVector.fromArray(S, g, o3)).intoArray(g, o3);
        c31.add(DoubleVector.fromArray(S, g, o3 + L)).intoArray(g, o3 + L);
    }
}
