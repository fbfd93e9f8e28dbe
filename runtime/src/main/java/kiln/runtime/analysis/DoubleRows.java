package kiln.runtime.analysis;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of the linear algebra in this package, on contiguous double rows addressed by
 * array and offset: a dot product, a scaled add and a plane rotation of two rows. Each is a
 * Vector API body up to the loop bound and a scalar tail; dot products keep lane-wise partial
 * sums and reduce them once at the end.
 */
final class DoubleRows {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DoubleRows() {}

    /** {@code sum_k a[aOff + k] * b[bOff + k]} for k in [0, length). */
    static double dot(double[] a, int aOff, double[] b, int bOff, int length) {
        int k = 0;
        int bound = S.loopBound(length);
        DoubleVector sum = DoubleVector.zero(S);
        for (; k < bound; k += L) {
            sum = DoubleVector.fromArray(S, a, aOff + k).fma(DoubleVector.fromArray(S, b, bOff + k), sum);
        }
        double total = sum.reduceLanes(VectorOperators.ADD);
        for (; k < length; k++) total += a[aOff + k] * b[bOff + k];
        return total;
    }

    /** {@code y[yOff + k] += alpha * x[xOff + k]} for k in [0, length). */
    static void addScaled(double alpha, double[] x, int xOff, double[] y, int yOff, int length) {
        int k = 0;
        int bound = S.loopBound(length);
        DoubleVector a = DoubleVector.broadcast(S, alpha);
        for (; k < bound; k += L) {
            a.fma(DoubleVector.fromArray(S, x, xOff + k), DoubleVector.fromArray(S, y, yOff + k)).intoArray(y, yOff + k);
        }
        for (; k < length; k++) y[yOff + k] += alpha * x[xOff + k];
    }

    /**
     * The plane rotation of rows u and v (each {@code length} long):
     * {@code u' = c u - s v}, {@code v' = s u + c v}.
     */
    static void rotate(double c, double s, double[] a, int uOff, int vOff, int length) {
        int k = 0;
        int bound = S.loopBound(length);
        DoubleVector cv = DoubleVector.broadcast(S, c), sv = DoubleVector.broadcast(S, s);
        for (; k < bound; k += L) {
            DoubleVector u = DoubleVector.fromArray(S, a, uOff + k), v = DoubleVector.fromArray(S, a, vOff + k);
            cv.mul(u).sub(sv.mul(v)).intoArray(a, uOff + k);
            sv.mul(u).add(cv.mul(v)).intoArray(a, vOff + k);
        }
        for (; k < length; k++) {
            double u = a[uOff + k], v = a[vOff + k];
            a[uOff + k] = c * u - s * v;
            a[vOff + k] = s * u + c * v;
        }
    }
}
