package kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.MnistSource;
import kiln.runtime.data.Splits;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainResult;
import kiln.runtime.train.Trainer;
import kiln.samples.binary.MnistThreeVsEight;
import kiln.samples.binary.MnistThreeVsEightModel;
import kiln.samples.conv.LeNetMnistModel;
import kiln.samples.features.CubicRegression;
import kiln.samples.features.CubicRegressionModel;
import kiln.samples.features.SineRegression;
import kiln.samples.features.SineRegressionModel;
import kiln.samples.mnist.MnistMlpModel;
import kiln.samples.mnist.ResidualMlpModel;
import org.junit.jupiter.api.Test;

/**
 * The generated sample models train on real data (the MNIST subset bundled in the repo: 8,000
 * training images) or on generated regression data, and reach a stated quality.
 */
class TrainingEndToEndTest {
    private static TrainResult train(CompiledModel model, DataSource data, String optimizer, double lr, int epochs, int batch)
            throws Exception {
        model.initParams(42);
        Splits splits = data.load(null, 42);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Trainer().fit(model, Optimizers.create(optimizer, model.params(), lr),
                splits, new TrainConfig(epochs, batch, 42, null, null), quiet);
    }

    @Test
    void mnistMlpReaches90PercentOnTheBundledSubsetIn2Epochs() throws Exception {
        try (var model = new MnistMlpModel(64, 2)) {
            TrainResult r = train(model, new MnistSource(), "momentum", 0.05, 2, 64);
            assertTrue(r.testAccuracy() >= 0.90, "test accuracy " + r.testAccuracy());
        }
    }

    @Test
    void leNetReaches93PercentOnTheBundledSubsetIn2Epochs() throws Exception {
        try (var model = new LeNetMnistModel(64, 2)) {
            TrainResult r = train(model, new MnistSource(), "momentum", 0.05, 2, 64);
            assertTrue(r.testAccuracy() >= 0.93, "test accuracy " + r.testAccuracy());
        }
    }

    @Test
    void residualMlpReaches90PercentOnTheBundledSubsetIn2Epochs() throws Exception {
        try (var model = new ResidualMlpModel(64, 1)) {
            TrainResult r = train(model, new MnistSource(), "momentum", 0.05, 2, 64);
            assertTrue(r.testAccuracy() >= 0.90, "test accuracy " + r.testAccuracy());
        }
    }

    @Test
    void logisticRegressionSeparatesThreesFromEights() throws Exception {
        try (var model = new MnistThreeVsEightModel(32, 1)) {
            TrainResult r = train(model, new MnistThreeVsEight(), "sgd", 0.1, 3, 32);
            assertTrue(r.testAccuracy() >= 0.93, "test accuracy " + r.testAccuracy());
        }
    }

    @Test
    void cubicFeatureMapRegressionRecoversTheGeneratingWeights() throws Exception {
        try (var model = new CubicRegressionModel(32, 1)) {
            TrainResult r = train(model, new CubicRegression(), "momentum", 0.05, 60, 32);
            float[] w = model.predictionWeight.value;
            for (int i = 0; i < w.length; i++) {
                assertEquals(CubicRegression.TRUE_WEIGHTS[i], w[i], 0.05, "weight of feature " + i);
            }
            assertTrue(r.testLoss() < 0.01, "test MSE " + r.testLoss());
        }
    }

    @Test
    void sineFeatureMapRegressionRecoversTheGeneratingWeights() throws Exception {
        try (var model = new SineRegressionModel(32, 1)) {
            TrainResult r = train(model, new SineRegression(), "momentum", 0.05, 60, 32);
            float[] w = model.predictionWeight.value;
            for (int i = 0; i < w.length; i++) {
                assertEquals(SineRegression.TRUE_WEIGHTS[i], w[i], 0.05, "weight of feature " + i);
            }
            assertTrue(r.testLoss() < 0.01, "test MSE " + r.testLoss());
        }
    }
}
