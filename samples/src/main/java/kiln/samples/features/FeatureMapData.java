package kiln.samples.features;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;

/**
 * Regression data for a linear predictor on a feature map: x uniform in [-1, 1], the model sees
 * phi(x), and the target is f(x) plus Gaussian noise. Least squares should recover f's weights.
 */
final class FeatureMapData {
    private FeatureMapData() {}

    interface FeatureMap {
        int size();

        void apply(double x, float[] out, int offset);
    }

    static Splits generate(FeatureMap phi, DoubleUnaryOperator f, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return new Splits(sample("train", 2000, phi, f, noise, rnd), sample("validation", 500, phi, f, noise, rnd),
                sample("test", 500, phi, f, noise, rnd));
    }

    private static Dataset sample(String name, int n, FeatureMap phi, DoubleUnaryOperator f, double noise, SplittableRandom rnd) {
        float[] x = new float[n * phi.size()];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double v = rnd.nextDouble(-1, 1);
            phi.apply(v, x, i * phi.size());
            y[i] = (float) (f.applyAsDouble(v) + noise * rnd.nextGaussian());
        }
        return Dataset.ofTargets(name, x, phi.size(), y, 1);
    }
}
