package kiln.runtime.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout MNIST and Fashion-MNIST share: four IDX files in one directory, each raw or with a
 * {@code .gz} suffix. The 60,000 training images are divided into train and validation (the last
 * twelfth, 5,000 for MNIST, is validation); the 10,000 test images are the test split.
 */
final class IdxDirectory {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final String EXPECTED = TRAIN_IMAGES + ", " + TRAIN_LABELS + ", " + TEST_IMAGES + ", " + TEST_LABELS
            + " (each raw or .gz)";

    private IdxDirectory() {}

    /**
     * @param key short lower-case name used for the splits, e.g. {@code "mnist"}
     * @param howToGet one clause telling the user how to obtain the files
     */
    static Splits load(Path dir, String key, String howToGet) throws DataException {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such directory; expected " + EXPECTED + "; " + howToGet);
        }
        Path trainImages = find(dir, TRAIN_IMAGES, howToGet);
        Path trainLabels = find(dir, TRAIN_LABELS, howToGet);
        Path testImages = find(dir, TEST_IMAGES, howToGet);
        Path testLabels = find(dir, TEST_LABELS, howToGet);

        IdxReader.Images trImg = IdxReader.readImages(trainImages);
        Dataset train = labelled(key + " train", trImg, trainImages, IdxReader.readLabels(trainLabels), trainLabels);
        IdxReader.Images teImg = IdxReader.readImages(testImages);
        Dataset test = labelled(key + " test", teImg, testImages, IdxReader.readLabels(testLabels), testLabels);
        if (teImg.rows() != trImg.rows() || teImg.cols() != trImg.cols()) {
            throw new DataException(testImages + ": images are " + teImg.rows() + "x" + teImg.cols() + " but the training images in "
                    + trainImages + " are " + trImg.rows() + "x" + trImg.cols());
        }
        int validation = train.size() / 12;
        int cut = train.size() - validation;
        return new Splits(train.subset(key + " train", 0, cut), train.subset(key + " validation", cut, train.size()), test);
    }

    /** {@code dir/base} or {@code dir/base.gz}; the raw file wins when both exist. */
    static Path find(Path dir, String base, String howToGet) throws DataException {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) return raw;
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        throw new DataException(dir + ": missing " + base + " (or " + base + ".gz); expected " + EXPECTED + "; " + howToGet);
    }

    /** Images with their labels, checked to be equally many. */
    static Dataset labelled(String name, IdxReader.Images images, Object imagesSource, int[] labels, Object labelsSource)
            throws DataException {
        if (labels.length != images.count()) {
            throw new DataException(labelsSource + ": " + labels.length + " labels for the " + images.count()
                    + " images in " + imagesSource);
        }
        return Dataset.ofLabels(name, images.pixels(), images.pixelsPerImage(), labels);
    }
}
