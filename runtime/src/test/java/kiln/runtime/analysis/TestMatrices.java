package kiln.runtime.analysis;

import java.util.Random;

/** Matrices with a known answer for the tests: random orthonormal rows, products, norms. All row-major. */
final class TestMatrices {
    private TestMatrices() {}

    /** k orthonormal rows of length d [k, d]: Gaussian rows, Gram-Schmidt twice (independent of the code under test). */
    static double[] orthonormalRows(int k, int d, Random random) {
        double[] q = new double[k * d];
        for (int i = 0; i < k * d; i++) q[i] = random.nextGaussian();
        for (int i = 0; i < k; i++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += q[i * d + c] * q[j * d + c];
                    for (int c = 0; c < d; c++) q[i * d + c] -= dot * q[j * d + c];
                }
            }
            double norm = 0;
            for (int c = 0; c < d; c++) norm += q[i * d + c] * q[i * d + c];
            norm = Math.sqrt(norm);
            for (int c = 0; c < d; c++) q[i * d + c] /= norm;
        }
        return q;
    }

    /** {@code sum_j values[j] q_j q_j^T} [d, d] for rows q_j of {@code q} [k, d]. */
    static double[] fromEigen(double[] values, double[] q, int d) {
        double[] a = new double[d * d];
        for (int j = 0; j < values.length; j++) {
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) a[r * d + c] += values[j] * q[j * d + r] * q[j * d + c];
            }
        }
        return a;
    }

    /** A random symmetric matrix with standard normal entries. */
    static double[] randomSymmetric(int n, Random random) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = random.nextGaussian();
        }
        return a;
    }

    /** {@code a [n, m] * b [m, p]}. */
    static double[] multiply(double[] a, double[] b, int n, int m, int p) {
        double[] c = new double[n * p];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                for (int j = 0; j < p; j++) c[i * p + j] += a[i * m + k] * b[k * p + j];
            }
        }
        return c;
    }

    static double dot(double[] a, int aOff, double[] b, int bOff, int length) {
        double s = 0;
        for (int i = 0; i < length; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** The largest absolute entry. */
    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    static float[] toFloats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }
}
