package kiln.bench.kernels;

import java.util.SplittableRandom;

/** Benchmark inputs: fixed-seed uniform values, so every run multiplies the same numbers. */
final class RandomTensors {
    private RandomTensors() {}

    /** {@code size} floats uniform in [-1, 1). */
    static float[] uniform(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) values[i] = (float) (2 * random.nextDouble() - 1);
        return values;
    }
}
