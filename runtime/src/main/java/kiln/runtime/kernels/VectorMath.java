package kiln.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, tanh and sigmoid per lane, and the sum of a vector's lanes, computed the same way whether
 * the code runs interpreted or compiled: training is bit-identical from run to run.
 *
 * <p>The Vector API's own {@code lanewise(EXP)} and {@code lanewise(TANH)} call the JDK's scalar
 * functions lane by lane when interpreted, and a different vector library (SVML) once C2 compiles
 * them; {@code reduceLanes(ADD)} adds in lane order interpreted and as a tree compiled. Each gives
 * other last bits before and after the JIT kicks in, so two runs of the same training differed
 * depending on when methods were compiled. These versions use only additions, multiplications,
 * fused multiply-adds, divisions, comparisons and bit reinterpretations, each exactly rounded in
 * both modes. Accuracy: exp within 2 ulp (Cephes' expf), tanh and sigmoid within a few ulp.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    // The constants are public for generated code, which writes these formulas out inline: a call
    // to exp() from a large generated method is not always inlined, and then every vector boxes.
    public static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two, so that x - n ln 2 is exact for the n that occur. */
    public static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer, held in the low mantissa bits. */
    public static final float ROUND = 12582912f;
    /** The bits of {@link #ROUND} less the exponent bias: subtracting it from ROUND + n's bits gives n + 127. */
    public static final int ROUND_BITS_UNBIASED = 0x4B400000 - 127;
    /** exp(-87.3) is near the smallest normal float; below it the result is 0. exp(88) is near the largest. */
    public static final float EXP_MIN = -87.33654f, EXP_MAX = 88.0f;
    /** Cephes' expf polynomial for e^r on [-ln2/2, ln2/2], highest power first. */
    public static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f,
            P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    /** Below this |x|, tanh uses its odd polynomial (Cephes' tanhf), avoiding 1 - e cancellation. */
    public static final float TANH_SMALL = 0.625f;
    /** Cephes' tanhf polynomial, highest power first. */
    public static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;

    private VectorMath() {}

    /** e^x per lane; 0 below -87.3 (where a float's normal range ends), e^88 above 88. */
    public static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = c.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND); // round(x log2 e)
        FloatVector r = n.lanewise(VectorOperators.FMA, -LN2_HI, c);
        r = n.lanewise(VectorOperators.FMA, -LN2_LO, r); // x - n ln 2, in [-ln2/2, ln2/2]
        FloatVector p = r.fma(P0, P1).fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3)).fma(r, FloatVector.broadcast(S, P4)).fma(r, FloatVector.broadcast(S, P5));
        FloatVector er = p.fma(r.mul(r), r).add(1f); // e^r
        FloatVector scale = ((IntVector) t.reinterpretAsInts()).sub(ROUND_BITS_UNBIASED).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats(); // 2^n
        return er.mul(scale).blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    /** The logistic function 1 / (1 + e^-x) per lane. */
    public static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    /** tanh per lane: an odd polynomial near 0, else 1 - 2 / (e^2|x| + 1) with x's sign. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector e = exp(a.mul(2f));
        FloatVector large = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector s = x.mul(x);
        FloatVector p = s.fma(T0, T1).fma(s, FloatVector.broadcast(S, T2)).fma(s, FloatVector.broadcast(S, T3))
                .fma(s, FloatVector.broadcast(S, T4));
        FloatVector small = p.mul(s).fma(x, x);
        return large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
    }

    /** The lanes' sum, added in lane order. */
    public static float sum(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < S.length(); i++) s += v.lane(i);
        return s;
    }

    /** The lanes' sum in double, added in lane order. */
    public static double sumDouble(FloatVector v) {
        double s = 0;
        for (int i = 0; i < S.length(); i++) s += v.lane(i);
        return s;
    }
}
