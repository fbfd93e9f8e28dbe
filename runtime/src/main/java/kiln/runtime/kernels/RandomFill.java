package kiln.runtime.kernels;

/**
 * The draws of a model's stochastic nodes (dropout, noise, Gaussian samples), from its SplitMix64
 * stream: each call takes the stream's state and returns the state after its draws, so that the
 * model owns one long of state and nothing allocates. The same state gives the same draws.
 */
public final class RandomFill {
    private RandomFill() {}

    /** A keep mask: {@code mask[i]} = 0 with probability {@code dropRate}, else 1, for i in [0, count). */
    public static long keepMask(float[] mask, int count, float dropRate, long state) {
        for (int i = 0; i < count; i++) {
            state += 0x9E3779B97F4A7C15L;
            mask[i] = uniform(state) < dropRate ? 0f : 1f;
        }
        return state;
    }

    /** Standard normal values into {@code dst[0, count)}, by the Box-Muller transform of uniform pairs. */
    public static long gaussian(float[] dst, int count, long state) {
        for (int i = 0; i < count; i += 2) {
            state += 0x9E3779B97F4A7C15L;
            double u1 = 1.0 - uniform53(state); // (0, 1]: the log stays finite
            state += 0x9E3779B97F4A7C15L;
            double u2 = uniform53(state);
            double r = Math.sqrt(-2.0 * Math.log(u1)), angle = 2.0 * Math.PI * u2;
            dst[i] = (float) (r * Math.cos(angle));
            if (i + 1 < count) dst[i + 1] = (float) (r * Math.sin(angle));
        }
        return state;
    }

    /** The SplitMix64 output for {@code state}'s top 24 bits as a float in [0, 1), as dropout has always drawn. */
    static float uniform(long state) {
        return (mix(state) >>> 40) * 0x1.0p-24f;
    }

    private static double uniform53(long state) {
        return (mix(state) >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
