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
 * f(x) = w · phi(x) with phi(x) = [1, x, sin 3x]: the right feature map makes a wiggly target
 * linear. Data from f(x) = 0.2 + 0.7x - 1.3 sin 3x plus noise.
 */
@Model(epochs = 60, batch = 32, lr = 0.05, optimizer = "momentum")
public class SineRegression implements DataSource {
    /** The generating weights, for [1, x, sin 3x]. */
    public static final double[] TRUE_WEIGHTS = {0.2, 0.7, -1.3};

    @Input(3) Layer features;
    @Dense(units = 1, bias = false, init = Init.ZEROS) Layer prediction;
    @Loss(LossKind.MSE) Layer loss;

    @Override
    public Splits load(Path dataDir, long seed) {
        FeatureMapData.FeatureMap phi = new FeatureMapData.FeatureMap() {
            @Override
            public int size() {
                return 3;
            }

            @Override
            public void apply(double x, float[] out, int at) {
                out[at] = 1f;
                out[at + 1] = (float) x;
                out[at + 2] = (float) Math.sin(3 * x);
            }
        };
        return FeatureMapData.generate(phi,
                x -> TRUE_WEIGHTS[0] + TRUE_WEIGHTS[1] * x + TRUE_WEIGHTS[2] * Math.sin(3 * x), 0.05, seed);
    }

    @Override
    public String describe() {
        return "generated: y = 0.2 + 0.7x - 1.3 sin 3x + noise, features [1, x, sin 3x]";
    }
}
