package kiln.runtime.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Zalando): 28x28 grey-scale clothing images, 10 classes, in MNIST's file layout
 * and splits. Nothing is bundled; without a directory it reads where Debian's
 * {@code dataset-fashion-mnist} package installs the files.
 */
public final class FashionMnistSource implements DataSource {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String HOW_TO_GET = "install them with `apt-get install dataset-fashion-mnist` (into "
            + DEFAULT_DIR + ") or download them from github.com/zalandoresearch/fashion-mnist";

    private final Path defaultDir;

    public FashionMnistSource() {
        this(DEFAULT_DIR);
    }

    /** Uses {@code defaultDir} when no directory is given (tests point it elsewhere). */
    public FashionMnistSource(Path defaultDir) {
        this.defaultDir = defaultDir;
    }

    @Override
    public Splits load(Path dataDir, long seed) throws DataException {
        if (dataDir == null) {
            if (!Files.isDirectory(defaultDir)) {
                throw new DataException("Fashion-MNIST not found in " + defaultDir + "; " + HOW_TO_GET + ", or give a data directory");
            }
            dataDir = defaultDir;
        }
        return IdxDirectory.load(dataDir, "fashion-mnist", HOW_TO_GET);
    }

    @Override
    public String describe() {
        return "Fashion-MNIST clothing images";
    }
}
