package kiln.samples.binary;

import java.nio.file.Path;
import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Init;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;
import kiln.runtime.data.DataException;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.MnistSource;
import kiln.runtime.data.Splits;

/**
 * Logistic regression, p(8 | image) = sigmoid(w · x + b), on the MNIST images of threes and eights:
 * a linear predictor with binary cross-entropy on real data.
 */
@Model(epochs = 5, batch = 32, lr = 0.1, optimizer = "sgd")
public class MnistThreeVsEight implements DataSource {
    @Input(784) Layer image;
    @Dense(units = 1, activation = Activation.SIGMOID, init = Init.ZEROS) Layer probability;
    @Loss(LossKind.BINARY_CROSS_ENTROPY) Layer loss;

    @Override
    public Splits load(Path dataDir, long seed) throws DataException {
        Splits mnist = new MnistSource().load(dataDir, seed);
        return new Splits(threesAndEights(mnist.train()), threesAndEights(mnist.validation()), threesAndEights(mnist.test()));
    }

    @Override
    public String describe() {
        return "MNIST threes (target 0) and eights (target 1)";
    }

    private static Dataset threesAndEights(Dataset digits) {
        int n = 0;
        for (int label : digits.labels()) if (label == 3 || label == 8) n++;
        float[] x = new float[n * 784];
        float[] target = new float[n];
        int row = 0;
        for (int i = 0; i < digits.size(); i++) {
            int label = digits.labels()[i];
            if (label != 3 && label != 8) continue;
            System.arraycopy(digits.x(), i * 784, x, row * 784, 784);
            target[row++] = label == 8 ? 1f : 0f;
        }
        return Dataset.ofTargets(digits.name() + " 3-vs-8", x, 784, target, 1);
    }
}
