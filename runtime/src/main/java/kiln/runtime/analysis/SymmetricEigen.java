package kiln.runtime.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Eigenvalues and orthonormal eigenvectors of a real symmetric n x n matrix, in double precision:
 * {@code A = sum_j values[j] v_j v_j^T} with the values in descending order and the eigenvector
 * {@code v_j} stored as row j of {@link #vectors()} [count, n].
 *
 * <p>Method (as EISPACK's tred2 and tql2): Householder reflections reduce A to a tridiagonal T,
 * the implicit QL iteration with Wilkinson shifts diagonalises T, and each eigenvector of T is
 * carried back through the stored reflections. Both phases are backward stable: eigenvalues are
 * accurate to a small multiple of {@code n * 2^-52 * ||A||}, and the residual
 * {@code ||A v - lambda v||} is of that size too. Everything is laid out so that the inner loops
 * run along contiguous rows: A is kept in full (both triangles), and the QL rotations combine two
 * rows of the transposed eigenvector matrix rather than two columns.
 *
 * <p>Cost: about n^3 multiply-adds to reduce, 2n^3 in the QL rotations, n^3 (k n^2 for the top
 * k) to carry the vectors back. For n = 784 (the Gram matrix of MNIST images) on the development
 * machine (2-core AVX-512 EPYC, one thread): 0.34-0.4 s of CPU for all pairs, 0.26 s for the top
 * 16 (thread CPU time, as the machine was shared when measured).
 */
public final class SymmetricEigen {
    /**
     * Largest {@code |a_ij - a_ji|} accepted, relative to the largest entry: enough for the
     * rounding of a product such as {@code S1^1/2 S2 S1^1/2}, far below a matrix in the wrong layout.
     * The two triangles are averaged.
     */
    static final double SYMMETRY_TOLERANCE = 1e-9;
    /** QL sweeps allowed per eigenvalue; two or three are typical. */
    private static final int MAX_SWEEPS = 60;
    private static final double EPS = Math.ulp(1.0);

    private final int size;
    private final double[] values;  // [count], descending
    private final double[] vectors; // [count, size], row j = eigenvector of values[j]

    private SymmetricEigen(int size, double[] values, double[] vectors) {
        this.size = size;
        this.values = values;
        this.vectors = vectors;
    }

    /** All n eigenpairs of the symmetric matrix {@code matrix} [n, n] (row-major; not modified). */
    public static SymmetricEigen of(double[] matrix, int n) {
        return decompose(matrix, n, n);
    }

    /**
     * The k eigenpairs of largest eigenvalue. The reduction and the QL iteration are the same as
     * for all n; only k eigenvectors are carried back through the reflections and kept.
     */
    public static SymmetricEigen top(double[] matrix, int n, int k) {
        if (k < 1 || k > n) throw new IllegalArgumentException("top k must be in [1, " + n + "], got " + k);
        return decompose(matrix, n, k);
    }

    /** n, the size of the decomposed matrix and the length of each eigenvector. */
    public int size() {
        return size;
    }

    /** How many eigenpairs are kept: n, or k for {@link #top}. */
    public int count() {
        return values.length;
    }

    /** The j-th largest eigenvalue. */
    public double value(int j) {
        return values[j];
    }

    /** The kept eigenvalues, descending (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The unit eigenvector of {@code value(j)} (a copy, length n). */
    public double[] vector(int j) {
        Objects.checkIndex(j, values.length);
        return Arrays.copyOfRange(vectors, j * size, (j + 1) * size);
    }

    /** The kept eigenvectors as rows [count, n], row j for {@code value(j)} (a copy). */
    public double[] vectors() {
        return vectors.clone();
    }

    private static SymmetricEigen decompose(double[] matrix, int n, int keep) {
        double[] a = symmetricCopy(matrix, n);
        double[] diagonal = new double[n], offDiagonal = new double[n], reflectionNorms = new double[n];
        tridiagonalize(a, n, diagonal, offDiagonal, reflectionNorms);
        double[] z = new double[n * n]; // rows: eigenvectors of T
        for (int i = 0; i < n; i++) z[i * n + i] = 1;
        diagonalize(diagonal, offDiagonal, z, n);

        int[] order = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> diagonal[i]).reversed())
                .limit(keep).mapToInt(Integer::intValue).toArray();
        double[] values = new double[keep];
        double[] vectors = new double[keep * n];
        for (int j = 0; j < keep; j++) {
            values[j] = diagonal[order[j]];
            System.arraycopy(z, order[j] * n, vectors, j * n, n);
            reflectBack(a, reflectionNorms, n, vectors, j * n);
        }
        return new SymmetricEigen(n, values, vectors);
    }

    /** A copy of {@code matrix} with its two triangles averaged, after the shape, finiteness and symmetry checks. */
    private static double[] symmetricCopy(double[] matrix, int n) {
        if (n < 1) throw new IllegalArgumentException("matrix size must be >= 1, got " + n);
        if (matrix.length != (long) n * n) {
            throw new IllegalArgumentException("a " + n + " x " + n + " matrix needs " + (long) n * n + " values, got " + matrix.length);
        }
        double largest = 0;
        for (int i = 0; i < n * n; i++) {
            if (!Double.isFinite(matrix[i])) {
                throw new IllegalArgumentException("matrix holds " + matrix[i] + " at (" + i / n + ", " + i % n + ")");
            }
            largest = Math.max(largest, Math.abs(matrix[i]));
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double lower = matrix[i * n + j], upper = matrix[j * n + i];
                if (Math.abs(lower - upper) > SYMMETRY_TOLERANCE * largest) {
                    throw new IllegalArgumentException("matrix is not symmetric: (" + i + ", " + j + ") = " + lower
                            + " but (" + j + ", " + i + ") = " + upper);
                }
                a[i * n + j] = a[j * n + i] = 0.5 * (lower + upper);
            }
        }
        return a;
    }

    /**
     * Householder reduction of the symmetric {@code a} [n, n] to tridiagonal form
     * {@code T = Q^T A Q}, {@code Q = H_{n-1} ... H_1}. Step i (from n-1 down to 2) reflects
     * indices [0, i-1] so that row i of the leading block becomes zero left of its subdiagonal:
     * {@code H_i = I - u u^T / h} with u kept in row i of {@code a} (entries [0, i-1], scaled by
     * the row's 1-norm, which keeps the squares from under- or overflowing) and h in
     * {@code norms[i]} (0: no reflection). The leading block is updated in full rows as
     * {@code A - q u^T - u q^T}, {@code p = A u / h}, {@code q = p - (u^T p / 2h) u}.
     * On return {@code diagonal[i] = T_ii} and {@code offDiagonal[i] = T_{i,i-1}} ({@code offDiagonal[0] = 0}).
     */
    private static void tridiagonalize(double[] a, int n, double[] diagonal, double[] offDiagonal, double[] norms) {
        double[] p = new double[n];
        for (int i = n - 1; i >= 1; i--) {
            int row = i * n, last = i - 1, length = i; // the reflection acts on indices [0, last]
            diagonal[i] = a[row + i]; // later steps touch only indices below i
            double scale = 0;
            for (int k = 0; k <= last; k++) scale += Math.abs(a[row + k]);
            if (last == 0 || scale == 0) {
                offDiagonal[i] = a[row + last];
                norms[i] = 0;
                continue;
            }
            double h = 0;
            for (int k = 0; k <= last; k++) {
                a[row + k] /= scale;
                h += a[row + k] * a[row + k];
            }
            double f = a[row + last];
            double g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
            offDiagonal[i] = scale * g;
            h -= f * g;
            a[row + last] = f - g;
            norms[i] = h;
            double up = 0;
            for (int j = 0; j <= last; j++) {
                p[j] = DoubleRows.dot(a, j * n, a, row, length) / h;
                up += a[row + j] * p[j];
            }
            double half = up / (2 * h);
            for (int j = 0; j <= last; j++) p[j] -= half * a[row + j]; // p becomes q
            for (int j = 0; j <= last; j++) {
                DoubleRows.addScaled(-p[j], a, row, a, j * n, length); // - q_j u
                DoubleRows.addScaled(-a[row + j], p, 0, a, j * n, length); // - u_j q
            }
        }
        diagonal[0] = a[0];
        offDiagonal[0] = 0;
    }

    /**
     * The implicit QL iteration (EISPACK tql2) on the tridiagonal T given by {@code diagonal} and
     * {@code offDiagonal} (as {@link #tridiagonalize} leaves them): on return {@code diagonal}
     * holds the eigenvalues (unsorted) and row j of {@code z} [n, n] (which must start as the
     * identity) the eigenvector of T for {@code diagonal[j]}.
     */
    private static void diagonalize(double[] diagonal, double[] offDiagonal, double[] z, int n) {
        double[] d = diagonal, e = offDiagonal;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double shiftSum = 0, norm = 0;
        for (int l = 0; l < n; l++) {
            norm = Math.max(norm, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > EPS * norm) m++; // e[n-1] is 0
            if (m > l) {
                int sweeps = 0;
                do {
                    if (++sweeps > MAX_SWEEPS) {
                        throw new ArithmeticException("QL iteration did not converge for eigenvalue " + l + " of " + n);
                    }
                    // Implicit shift from the leading 2 x 2 block.
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    shiftSum += h;
                    // One QL sweep, a plane rotation per i from m-1 up to l.
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
                    double el1 = e[l + 1];
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        // Columns i, i+1 of the eigenvector matrix are rows i, i+1 of z.
                        DoubleRows.rotate(c, s, z, i * n, (i + 1) * n, n);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > EPS * norm);
            }
            d[l] += shiftSum;
            e[l] = 0;
        }
    }

    /**
     * Carries an eigenvector of T (at {@code x[off]}, length n) back to one of A: {@code x = Q x}
     * with {@code Q = H_{n-1} ... H_1}, so H_1 is applied first.
     */
    private static void reflectBack(double[] a, double[] norms, int n, double[] x, int off) {
        for (int i = 1; i < n; i++) {
            if (norms[i] == 0) continue;
            double f = DoubleRows.dot(a, i * n, x, off, i) / norms[i];
            DoubleRows.addScaled(-f, a, i * n, x, off, i);
        }
    }
}
