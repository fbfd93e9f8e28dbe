package kiln.runtime;

import java.util.SplittableRandom;
import kiln.dsl.Init;

/** Fills parameter tensors by the {@link Init} rules; deterministic for a (seed, tensor index). */
final class Initializers {
    private Initializers() {}

    static void fill(float[] w, Init init, int fanIn, int fanOut, long seed, int tensorIndex) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + tensorIndex);
        switch (init) {
            case ZEROS -> java.util.Arrays.fill(w, 0f);
            case ONES -> java.util.Arrays.fill(w, 1f);
            case HE_NORMAL -> normal(w, rnd, Math.sqrt(2.0 / fanIn));
            case HE_UNIFORM -> uniform(w, rnd, Math.sqrt(6.0 / fanIn));
            case XAVIER_NORMAL -> normal(w, rnd, Math.sqrt(2.0 / (fanIn + fanOut)));
            case XAVIER_UNIFORM -> uniform(w, rnd, Math.sqrt(6.0 / (fanIn + fanOut)));
            case NORMAL -> normal(w, rnd, 1);
            case PYTORCH_UNIFORM -> uniform(w, rnd, 1 / Math.sqrt(fanIn));
        }
    }

    private static void uniform(float[] w, SplittableRandom rnd, double bound) {
        for (int i = 0; i < w.length; i++) w[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }

    private static void normal(float[] w, SplittableRandom rnd, double std) {
        for (int i = 0; i < w.length; i++) w[i] = (float) (rnd.nextGaussian() * std);
    }
}
