package kiln.runtime.data;

import java.nio.file.Path;

/** Where a training run gets its data: reads files and divides them into {@link Splits}. */
public interface DataSource {
    /**
     * Loads the data set from {@code dataDir}, or from the source's own default location when it is
     * null. The same directory and seed always give the same splits.
     */
    Splits load(Path dataDir, long seed) throws DataException;

    /** What the data is, for a log line, e.g. {@code "MNIST handwritten digits"}. */
    String describe();
}
