package kiln.samples.tabular;

import java.nio.file.Path;
import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;
import kiln.runtime.data.DataException;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.InputReader;
import kiln.runtime.data.Splits;
import kiln.runtime.data.csv.Header;
import kiln.runtime.data.csv.TabularSource;

/**
 * A small MLP on a real table: the UCI wine data (178 wines, 13 chemical measurements, three
 * cultivars), bundled as scikit-learn ships it. The rows are split 70 / 15 / 15, stratified by
 * cultivar, and each measurement is standardised with the training rows' mean and deviation
 * (proline runs to 1,680, hue stays below 2: unscaled, the large columns would dominate).
 *
 * <p>{@code scripts/train.sh WineClassifier} trains it; {@code --predict CHECKPOINT --input FILE}
 * classifies new rows of the 13 measurements (a first line of the column names below is allowed).
 */
@Model(epochs = 30, batch = 16, lr = 0.003, optimizer = "adam")
public class WineClassifier implements DataSource, InputReader {
    @Input(13) Layer measurements;
    @Dense(units = 16, activation = Activation.RELU) Layer hidden;
    @Dense(units = 3) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;

    /** The file's columns, in order (scikit-learn's feature names); the last is the cultivar. */
    public static final String[] COLUMNS = {"alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
        "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines",
        "proline", "class"};

    private final TabularSource wine = TabularSource.fromResource("/kiln/data/uci/wine_data.csv")
            .header(Header.SKLEARN)
            .columns(COLUMNS)
            .target("class")
            .describedAs("UCI wine")
            .build();

    /** Reads the bundled file, or the CSV file (or a directory holding {@code wine_data.csv}) given with --data. */
    @Override
    public Splits load(Path dataDir, long seed) throws DataException {
        return wine.load(dataDir, seed);
    }

    @Override
    public String describe() {
        return wine.describe();
    }

    @Override
    public float[] readInputs(Path file) throws DataException {
        return wine.readInputs(file);
    }
}
