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
 * are zero-padded to a multiple of NR, so every tile runs the same kernel.
 *
 * <p>Threads: the rows are cut into a fixed number of contiguous ranges ({@link #slots}, 8 for
 * MNIST), which depends on the data's shape only; a worker takes the next range from a counter
 * and sums its whole partial Gram matrix, and the partials are added in range order at the end.
 * So G is the same sum in the same order on any number of threads, and no worker ever waits for
 * another before the end (a core taken by another process slows one range, not the rest).
 * Memory: one d^2 matrix of doubles per range, besides the packed blocks.
 *
 * <p>Cost: n d^2 / 2 multiply-adds. 60,000 x 784 MNIST-sized rows take 1.05-1.2 s of CPU on one
 * thread of the development machine (2-core AVX-512 EPYC; about 17 of the 24 double GFMA/s a
 * core can do).
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
    /** Most row ranges, each summed into its own partial Gram matrix by one thread. */
    static final int MAX_SLOTS = 8;
    /** Memory for the partials: more than two slots only while they fit in 64 MiB (eight at d = 784, 4.9 MB each). */
    static final long SLOT_BYTES = 64L << 20;
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
        Slots work = new Slots(rows, n, d, center);
        int workers = Math.min(threads, work.slots);
        if (workers > 1 && (long) n * d * d / 2 >= PARALLEL_MIN_FMAS) {
            work.allocateScratch(workers);
            try (WorkerPool pool = new WorkerPool(workers)) {
                pool.run(work::run);
            }
        } else {
            work.allocateScratch(1);
            work.run(0, 1);
        }
        return work.symmetricResult();
    }

    private static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * How many row ranges to cut n rows into for a padded width: up to {@link #MAX_SLOTS}, as many
     * partials as {@link #SLOT_BYTES} holds but at least two, at most one per block of rows. It
     * depends on the data's shape only, never on the threads.
     */
    static int slots(int n, int padded) {
        long byMemory = Math.max(2, SLOT_BYTES / (8L * padded * padded));
        int blocks = (n + KC - 1) / KC;
        return (int) Math.min(Math.min(MAX_SLOTS, byMemory), blocks);
    }

    /** The slots' row ranges and partial Gram matrices, the counter that hands them out, and each worker's {@link Scratch}. */
    private static final class Slots {
        final float[] x;
        final int n, d, padded, slots, blocks;
        final double[] center; // [padded], zero past d
        final double[][] partials; // [slots][padded * padded], the upper triangle by tiles
        final AtomicInteger nextSlot = new AtomicInteger();
        Scratch[] scratch;

        Slots(float[] x, int n, int d, double[] center) {
            this.x = x;
            this.n = n;
            this.d = d;
            int unit = Math.max(NR, MR);
            this.padded = (d + unit - 1) / unit * unit;
            this.slots = GramMatrix.slots(n, padded);
            this.blocks = (n + KC - 1) / KC;
            this.center = new double[padded];
            if (center != null) System.arraycopy(center, 0, this.center, 0, d);
            this.partials = new double[slots][];
        }

        void allocateScratch(int workers) {
            scratch = new Scratch[workers];
            for (int w = 0; w < workers; w++) scratch[w] = new Scratch(padded);
        }

        /** A worker's loop: take the next slot and compute its whole partial. */
        void run(int worker, int workers) {
            Scratch own = scratch[worker];
            for (int slot = nextSlot.getAndIncrement(); slot < slots; slot = nextSlot.getAndIncrement()) {
                double[] partial = new double[padded * padded];
                int firstBlock = (int) ((long) blocks * slot / slots), endBlock = (int) ((long) blocks * (slot + 1) / slots);
                for (int block = firstBlock; block < endBlock; block++) {
                    int first = block * KC, kc = Math.min(KC, n - first);
                    pack(own, first, kc);
                    multiply(own, kc, partial);
                }
                partials[slot] = partial; // published to the caller by the pool's join
            }
        }

        /** Converts rows [first, first + kc) to double less the centre, into the worker's slivers and panels. */
        private void pack(Scratch s, int first, int kc) {
            double[] row = s.row;
            int sliverCount = padded / MR, panels = padded / NR;
            for (int r = 0; r < kc; r++) {
                int in = (first + r) * d;
                for (int j = 0; j < d; j++) row[j] = x[in + j] - center[j];
                for (int k = 0, at = r * MR; k < sliverCount; k++, at += kc * MR) {
                    int j = k * MR;
                    s.slivers[at] = row[j];
                    s.slivers[at + 1] = row[j + 1];
                    s.slivers[at + 2] = row[j + 2];
                    s.slivers[at + 3] = row[j + 3];
                }
                for (int p = 0, at = r * NR; p < panels; p++, at += kc * NR) System.arraycopy(row, p * NR, s.panels, at, NR);
            }
        }

        /** Adds the packed block's products to {@code partial}: every tile on or above the diagonal. */
        private void multiply(Scratch s, int kc, double[] partial) {
            int panels = padded / NR;
            for (int panel = 0; panel < panels; panel++) {
                int firstColumn = panel * NR;
                int sliverEnd = (firstColumn + NR + MR - 1) / MR; // slivers up to the panel's last column
                for (int sliver = 0; sliver < sliverEnd; sliver++) {
                    tile(kc, s.slivers, sliver * kc * MR, s.panels, panel * kc * NR, partial, sliver * MR * padded + firstColumn, padded);
                }
            }
        }

        /** G, the slots' partials summed in slot order, as a full symmetric [d, d] matrix. */
        double[] symmetricResult() {
            double[] g = partials[0];
            for (int slot = 1; slot < slots; slot++) DoubleRows.addScaled(1, partials[slot], 0, g, 0, g.length); // 1 * p + g is p + g
            double[] out = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) out[i * d + j] = out[j * d + i] = g[i * padded + j];
            }
            return out;
        }
    }

    /** One worker's buffers: a row in double and the packed block. */
    private static final class Scratch {
        final double[] row; // [padded], zero past d
        final double[] slivers; // [padded / MR][kc][MR]
        final double[] panels; // [padded / NR][kc][NR]

        Scratch(int padded) {
            row = new double[padded];
            slivers = new double[KC * padded];
            panels = new double[KC * padded];
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
