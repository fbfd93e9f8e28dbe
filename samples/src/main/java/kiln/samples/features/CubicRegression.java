package kiln.samples.features;

import java.nio.file.Path;
import kiln.dsl.Dense;
import kiln.dsl.Init;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.Splits;

/**
 * f(x) = w · phi(x) with the polynomial feature map phi(x) = [1, x, x^2, x^3]: a linear predictor
 * that fits a curve. The data come from f(x) = 0.5 - x + 2x^2 + 1.5x^3 plus noise; training should
 * recover those four weights.
 */
@Model(epochs = 60, batch = 32, lr = 0.05, optimizer = "momentum")
public class CubicRegression implements DataSource {
    /** The generating weights, for [1, x, x^2, x^3]. */
    public static final double[] TRUE_WEIGHTS = {0.5, -1.0, 2.0, 1.5};

    @Input(4) Layer features;
    @Dense(units = 1, bias = false, init = Init.ZEROS) Layer prediction;
    @Loss(LossKind.MSE) Layer loss;

    @Override
    public Splits load(Path dataDir, long seed) {
        FeatureMapData.FeatureMap phi = new FeatureMapData.FeatureMap() {
            @Override
            public int size() {
                return 4;
            }

            @Override
            public void apply(double x, float[] out, int at) {
                out[at] = 1f;
                out[at + 1] = (float) x;
                out[at + 2] = (float) (x * x);
                out[at + 3] = (float) (x * x * x);
            }
        };
        return FeatureMapData.generate(phi,
                x -> TRUE_WEIGHTS[0] + TRUE_WEIGHTS[1] * x + TRUE_WEIGHTS[2] * x * x + TRUE_WEIGHTS[3] * x * x * x, 0.05, seed);
    }

    @Override
    public String describe() {
        return "generated: y = 0.5 - x + 2x^2 + 1.5x^3 + noise, features [1, x, x^2, x^3]";
    }
}
