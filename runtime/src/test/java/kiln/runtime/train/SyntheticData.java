package kiln.runtime.train;

import java.util.SplittableRandom;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;

/** A linearly separable two-class problem: label = (x0 + x1 - x2 > 0), with a margin around the boundary. */
public final class SyntheticData {
    public static final int INPUTS = 4;

    private SyntheticData() {}

    public static Dataset make(String name, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * INPUTS];
        int[] labels = new int[n];
        for (int s = 0; s < n; ) {
            for (int i = 0; i < INPUTS; i++) x[s * INPUTS + i] = (float) (rnd.nextDouble() * 2 - 1);
            float score = x[s * INPUTS] + x[s * INPUTS + 1] - x[s * INPUTS + 2];
            if (Math.abs(score) < 0.2f) continue; // redraw inside the margin
            labels[s] = score > 0 ? 1 : 0;
            s++;
        }
        return Dataset.ofLabels(name, x, INPUTS, labels);
    }

    public static Splits splits(int train, long seed) {
        return new Splits(make("synthetic train", train, seed), make("synthetic validation", 200, seed + 1),
                make("synthetic test", 200, seed + 2));
    }
}
