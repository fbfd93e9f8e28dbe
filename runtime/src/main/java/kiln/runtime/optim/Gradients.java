package kiln.runtime.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.Param;

/**
 * Whole-model operations on {@link Param#grad}, run between backward and the optimizer step:
 * clipping as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}, and the check for
 * non-finite gradients. Vectorised; nothing allocates.
 */
public final class Gradients {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** PyTorch's clip_grad_norm_ adds this to the norm before dividing. */
    private static final double NORM_EPS = 1e-6;

    private Gradients() {}

    /**
     * The 2-norm of all gradients together, {@code sqrt(sum over tensors of ||g||^2)}: squares summed
     * in float lanes per tensor, tensors combined in double. NaN or infinite when a gradient is.
     */
    public static double globalNorm(Param[] params) {
        double total = 0;
        for (Param p : params) {
            double n = norm(p.grad);
            total += n * n;
        }
        return Math.sqrt(total);
    }

    /**
     * PyTorch's {@code clip_grad_norm_(params, maxNorm)}: with {@code total} the {@link #globalNorm},
     * every gradient is multiplied by {@code maxNorm / (total + 1e-6)} when that is below 1. Returns
     * the norm before clipping (NaN or infinite gradients are left alone; the caller stops training).
     */
    public static double clipByGlobalNorm(Param[] params, double maxNorm) {
        double total = globalNorm(params);
        double coefficient = maxNorm / (total + NORM_EPS);
        if (coefficient < 1 && Double.isFinite(total)) {
            float c = (float) coefficient;
            for (Param p : params) scale(p.grad, c);
        }
        return total;
    }

    /** PyTorch's {@code clip_grad_value_}: every gradient element clamped into [-clip, clip]. */
    public static void clipByValue(Param[] params, double clip) {
        float hi = (float) clip, lo = -hi;
        for (Param p : params) {
            float[] g = p.grad;
            int i = 0;
            int bound = SPECIES.loopBound(g.length);
            for (; i < bound; i += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, g, i).max(lo).min(hi).intoArray(g, i);
            }
            for (; i < g.length; i++) g[i] = Math.min(Math.max(g[i], lo), hi);
        }
    }

    /** Index of the first parameter whose gradient holds a NaN or infinity, or -1 when all are finite. */
    public static int firstNonFiniteGradient(Param[] params) {
        for (int k = 0; k < params.length; k++) if (!allFinite(params[k].grad)) return k;
        return -1;
    }

    /** Index of the first parameter whose value holds a NaN or infinity, or -1 when all are finite. */
    public static int firstNonFiniteValue(Param[] params) {
        for (int k = 0; k < params.length; k++) if (!allFinite(params[k].value)) return k;
        return -1;
    }

    /** The first non-finite element of {@code a} (NaN, Infinity or -Infinity), or 0 when there is none. */
    public static float firstNonFinite(float[] a) {
        for (float x : a) if (!Float.isFinite(x)) return x;
        return 0;
    }

    /**
     * x * 0 is 0 for every finite x and NaN otherwise, so the lanes' sum is NaN exactly when one x
     * is not finite. Four accumulators keep four vector adds in flight (the check runs every step).
     */
    static boolean allFinite(float[] a) {
        int step = SPECIES.length();
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        int bound4 = a.length - 4 * step + 1;
        for (; i < bound4; i += 4 * step) {
            acc0 = acc0.add(FloatVector.fromArray(SPECIES, a, i).mul(0f));
            acc1 = acc1.add(FloatVector.fromArray(SPECIES, a, i + step).mul(0f));
            acc2 = acc2.add(FloatVector.fromArray(SPECIES, a, i + 2 * step).mul(0f));
            acc3 = acc3.add(FloatVector.fromArray(SPECIES, a, i + 3 * step).mul(0f));
        }
        int bound = SPECIES.loopBound(a.length);
        for (; i < bound; i += step) acc0 = acc0.add(FloatVector.fromArray(SPECIES, a, i).mul(0f));
        float sum = kiln.runtime.kernels.VectorMath.sum(acc0.add(acc1).add(acc2).add(acc3));
        for (; i < a.length; i++) sum += a[i] * 0f;
        return sum == 0;
    }

    private static double norm(float[] g) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = SPECIES.loopBound(g.length);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, g, i);
            acc = v.fma(v, acc);
        }
        double sum = kiln.runtime.kernels.VectorMath.sumDouble(acc);
        for (; i < g.length; i++) sum += (double) g[i] * g[i];
        return Math.sqrt(sum);
    }

    private static void scale(float[] g, float c) {
        int i = 0;
        int bound = SPECIES.loopBound(g.length);
        for (; i < bound; i += SPECIES.length()) FloatVector.fromArray(SPECIES, g, i).mul(c).intoArray(g, i);
        for (; i < g.length; i++) g[i] *= c;
    }
}
