package kiln.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary version (cifar-10-binary.tar.gz): 32x32 colour images of 10 classes in
 * {@code data_batch_1.bin} .. {@code data_batch_5.bin} (50,000 training images) and
 * {@code test_batch.bin} (10,000). Each record is 1 label byte then 3,072 pixel bytes, the red
 * plane, then green, then blue, each row-major: exactly NCHW [3, 32, 32]. The directory may be the
 * one holding the files or the one the archive extracts {@code cifar-10-batches-bin} into.
 *
 * <p>Pixels are scaled to [0, 1], then standardised per channel with the mean and standard
 * deviation of the training split (applied to all splits). The last tenth of the training
 * images is the validation split. With augmentation on, training batches are randomly shifted by
 * up to 4 pixels (a 32x32 crop of the image padded by 4) and mirrored; seeded per epoch, applied
 * in place, allocation-free. Nothing is bundled: without a directory, loading fails with a line
 * saying where to get the files.
 */
public final class Cifar10Source implements DataSource {
    public static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final String ARCHIVE_DIR = "cifar-10-batches-bin";
    public static final int CHANNELS = 3, SIDE = 32, IMAGE = CHANNELS * SIDE * SIDE, RECORD = 1 + IMAGE, CLASSES = 10;
    static final String HOW_TO_GET = "get the binary version, cifar-10-binary.tar.gz, from https://www.cs.toronto.edu/~kriz/cifar.html"
            + " and pass the extracted directory with --data";

    private final boolean augment;
    private ChannelNormalization normalization;

    /** With random-crop and flip augmentation of the training split. */
    public Cifar10Source() {
        this(true);
    }

    public Cifar10Source(boolean augment) {
        this.augment = augment;
    }

    @Override
    public Splits load(Path dataDir, long seed) throws DataException {
        if (dataDir == null) {
            throw new DataException("CIFAR-10 needs a data directory with " + String.join(", ", TRAIN_FILES) + " and " + TEST_FILE
                    + "; " + HOW_TO_GET);
        }
        if (!Files.isDirectory(dataDir)) {
            throw new DataException(dataDir + ": no such directory; CIFAR-10 needs " + TRAIN_FILES.get(0) + " .. " + TEST_FILE
                    + "; " + HOW_TO_GET);
        }
        Path dir = !Files.isRegularFile(dataDir.resolve(TEST_FILE)) && Files.isDirectory(dataDir.resolve(ARCHIVE_DIR))
                ? dataDir.resolve(ARCHIVE_DIR) : dataDir;
        List<byte[]> train = new ArrayList<>();
        int trainCount = 0;
        for (String name : TRAIN_FILES) {
            byte[] b = read(dir.resolve(name));
            train.add(b);
            trainCount += b.length / RECORD;
        }
        byte[] testBytes = read(dir.resolve(TEST_FILE));

        int validation = trainCount / 10, cut = trainCount - validation;
        float[] trainX = new float[cut * IMAGE], validationX = new float[validation * IMAGE];
        int[] trainY = new int[cut], validationY = new int[validation];
        int record = 0;
        for (int f = 0; f < train.size(); f++) {
            byte[] b = train.get(f);
            for (int r = 0; r < b.length / RECORD; r++, record++) {
                boolean isTrain = record < cut;
                decode(b, r, dir.resolve(TRAIN_FILES.get(f)), isTrain ? trainX : validationX, isTrain ? trainY : validationY,
                        isTrain ? record : record - cut);
            }
        }
        int tests = testBytes.length / RECORD;
        float[] testX = new float[tests * IMAGE];
        int[] testY = new int[tests];
        for (int r = 0; r < tests; r++) decode(testBytes, r, dir.resolve(TEST_FILE), testX, testY, r);

        normalization = ChannelNormalization.fit(trainX, CHANNELS, SIDE * SIDE);
        normalization.apply(trainX, SIDE * SIDE);
        normalization.apply(validationX, SIDE * SIDE);
        normalization.apply(testX, SIDE * SIDE);
        Dataset trainSet = Dataset.ofLabels("cifar-10 train", trainX, IMAGE, trainY);
        if (augment) trainSet = trainSet.withAugmentation(new ImageAugmentation(CHANNELS, SIDE, SIDE, 4, true));
        return new Splits(trainSet, Dataset.ofLabels("cifar-10 validation", validationX, IMAGE, validationY),
                Dataset.ofLabels("cifar-10 test", testX, IMAGE, testY));
    }

    /** The per-channel statistics of the last load's training split, or null before loading. */
    public ChannelNormalization normalization() {
        return normalization;
    }

    @Override
    public String describe() {
        return "CIFAR-10 colour images" + (augment ? " (random crops and flips)" : "");
    }

    private static byte[] read(Path file) throws DataException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": missing; CIFAR-10 needs " + String.join(", ", TRAIN_FILES) + " and " + TEST_FILE
                    + " in one directory; " + HOW_TO_GET);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (b.length == 0 || b.length % RECORD != 0) {
            throw new DataException(file + ": " + b.length + " bytes is not a whole number of " + RECORD
                    + "-byte CIFAR-10 records (1 label byte + 3,072 pixel bytes); truncated or not the binary version");
        }
        return b;
    }

    private static void decode(byte[] b, int r, Path file, float[] x, int[] y, int row) throws DataException {
        int at = r * RECORD, label = b[at] & 0xFF;
        if (label >= CLASSES) {
            throw new DataException(file + ": record " + r + " has label " + label + ", not 0.." + (CLASSES - 1)
                    + "; not a CIFAR-10 file (CIFAR-100's binary records differ)");
        }
        y[row] = label;
        for (int i = 0, o = row * IMAGE; i < IMAGE; i++) x[o + i] = (b[at + 1 + i] & 0xFF) / 255f;
    }
}
