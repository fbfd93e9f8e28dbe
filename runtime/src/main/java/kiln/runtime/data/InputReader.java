package kiln.runtime.data;

import java.nio.file.Path;

/**
 * A {@link DataSource} that can also turn a file of new, unlabelled rows into model inputs, the
 * way it encodes its own samples (e.g. one-hot columns, standardisation fitted on the training
 * split): what {@code --predict --input FILE} uses. Call it after {@link DataSource#load}.
 */
public interface InputReader {
    /** The rows of {@code file} as inputs [rows, inputSize], row-major. */
    float[] readInputs(Path file) throws DataException;
}
