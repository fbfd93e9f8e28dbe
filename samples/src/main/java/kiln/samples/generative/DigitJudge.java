package kiln.samples.generative;

import java.io.OutputStream;
import java.io.PrintStream;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.analysis.ClassShares;
import kiln.runtime.analysis.GaussianFit;
import kiln.runtime.data.Splits;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.train.Evaluation;
import kiln.runtime.train.Metrics;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainingDivergedException;
import kiln.runtime.train.Trainer;
import kiln.samples.conv.LeNetMnistModel;

/**
 * The classifier that judges generated digits, since no Inception weights are available offline:
 * {@code LeNetMnist}, trained here on the training split. Its penultimate layer ({@code fc2}, 84
 * ReLU units) gives the features of the "LeNet-FID", its softmax the classes of the generated digits.
 */
final class DigitJudge implements AutoCloseable {
    private static final int EPOCHS = 3;
    private final CompiledModel lenet;
    private final Batch batch;
    private final double testAccuracy;

    /** Trains LeNet for a few epochs of Adam on {@code data}'s training split (seeded: the same judge every run). */
    DigitJudge(Splits data, int threads) {
        lenet = new LeNetMnistModel(256, threads);
        lenet.initParams(20261208);
        try {
            new Trainer().fit(lenet, Optimizers.create("adam", lenet.params(), 1e-3), data,
                    new TrainConfig(EPOCHS, 64, 20261208, null, null).asTrial(), new PrintStream(OutputStream.nullOutputStream()));
        } catch (TrainingDivergedException | java.io.IOException | kiln.runtime.data.DataException e) {
            throw new IllegalStateException("the judge (LeNet) did not train: " + e.getMessage(), e);
        }
        batch = Batch.forModel(lenet, 256);
        Evaluation test = Metrics.evaluate(lenet, data.test(), batch);
        testAccuracy = test.figures().get("accuracy");
    }

    double testAccuracy() {
        return testAccuracy;
    }

    /** Features and class probabilities of {@code n} images [n, 784] with pixels in [0, 1]. */
    Judgement judge(float[] images, int n) {
        lenet.setTraining(false);
        float[] features = new float[n * 84], probabilities = new float[n * 10];
        for (int from = 0; from < n; from += 256) {
            int rows = Math.min(256, n - from);
            System.arraycopy(images, from * 784, batch.x, 0, rows * 784);
            batch.size = rows;
            float[] p = lenet.predict(batch);
            System.arraycopy(p, 0, probabilities, from * 10, rows * 10);
            System.arraycopy(lenet.activation("fc2"), 0, features, from * 84, rows * 84);
        }
        return new Judgement(GaussianFit.of(features, n, 84), ClassShares.of(probabilities, n, 10));
    }

    /** The Gaussian fit of a set of images' features, and the judge's classes for them. */
    record Judgement(GaussianFit features, ClassShares classes) {}

    @Override
    public void close() {
        lenet.close();
    }
}
