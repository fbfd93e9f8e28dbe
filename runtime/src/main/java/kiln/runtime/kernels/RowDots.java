package kiln.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C[m,n] = ep(A[m,k] · B[n,k]^T + bias[n])} for a few rows of A: the dense forward pass of
 * batch-1 (and very small batch) inference, as plain dot products.
 *
 * <p>The packed micro-kernel computes 2 vectors of C columns per row; with one row of A it would
 * waste most of its lanes and still pay for packing. Here each weight row is read once, straight
 * from the caller's array, four rows at a time so that one load of A feeds four independent FMA
 * chains; the four rows (4k floats) stay in L1 while every row of A passes over them.
 */
final class RowDots {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Largest m this kernel takes; above it the packed kernel fills its lanes. */
    static final int MAX_ROWS = 4;

    private RowDots() {}

    static void nt(float[] a, int aOff, float[] b, int bOff, float[] bias, float[] c, int cOff,
                   int m, int n, int k, Epilogue ep) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int b0 = bOff + j * k;
            for (int i = 0; i < m; i++) dot4(a, aOff + i * k, b, b0, k, c, cOff + i * n + j);
        }
        for (; j < n; j++) {
            for (int i = 0; i < m; i++) c[cOff + i * n + j] = dot(a, aOff + i * k, b, bOff + j * k, k);
        }
        for (int i = 0; i < m; i++) ep.applyInPlace(c, cOff + i * n, n, bias, 0);
    }

    /** {@code out[0..3] = x · y_r} for the four consecutive k-long rows y_r starting at {@code y0}. */
    private static void dot4(float[] x, int x0, float[] y, int y0, int k, float[] out, int at) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, x0 + p);
            s0 = xv.fma(FloatVector.fromArray(S, y, y0 + p), s0);
            s1 = xv.fma(FloatVector.fromArray(S, y, y0 + k + p), s1);
            s2 = xv.fma(FloatVector.fromArray(S, y, y0 + 2 * k + p), s2);
            s3 = xv.fma(FloatVector.fromArray(S, y, y0 + 3 * k + p), s3);
        }
        float d0 = VectorMath.sum(s0), d1 = VectorMath.sum(s1);
        float d2 = VectorMath.sum(s2), d3 = VectorMath.sum(s3);
        for (; p < k; p++) {
            float xp = x[x0 + p];
            d0 += xp * y[y0 + p];
            d1 += xp * y[y0 + k + p];
            d2 += xp * y[y0 + 2 * k + p];
            d3 += xp * y[y0 + 3 * k + p];
        }
        out[at] = d0;
        out[at + 1] = d1;
        out[at + 2] = d2;
        out[at + 3] = d3;
    }

    private static float dot(float[] x, int x0, float[] y, int y0, int k) {
        FloatVector s = FloatVector.zero(S);
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += S.length()) {
            s = FloatVector.fromArray(S, x, x0 + p).fma(FloatVector.fromArray(S, y, y0 + p), s);
        }
        float d = VectorMath.sum(s);
        for (; p < k; p++) d += x[x0 + p] * y[y0 + p];
        return d;
    }
}
