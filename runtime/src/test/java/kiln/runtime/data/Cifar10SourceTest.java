package kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import kiln.runtime.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 binary reader on files in that format written here, per-channel normalisation, augmentation. */
class Cifar10SourceTest {
    /** Record r of file f: label (f + r) % 10; red = (r + 7f) % 256, green = 100 + pixel % 50, blue = 255 - pixel % 200. */
    private static byte[] records(int f, int count) {
        byte[] b = new byte[count * Cifar10Source.RECORD];
        for (int r = 0; r < count; r++) {
            int at = r * Cifar10Source.RECORD;
            b[at] = (byte) ((f + r) % 10);
            for (int p = 0; p < 1024; p++) {
                b[at + 1 + p] = (byte) ((r + 7 * f) % 256);
                b[at + 1 + 1024 + p] = (byte) (100 + p % 50);
                b[at + 1 + 2048 + p] = (byte) (255 - p % 200);
            }
        }
        return b;
    }

    private static Path write(Path dir, int perFile, int tests) throws IOException {
        for (int f = 1; f <= 5; f++) Files.write(dir.resolve("data_batch_" + f + ".bin"), records(f, perFile));
        Files.write(dir.resolve("test_batch.bin"), records(0, tests));
        return dir;
    }

    @Test
    void readsRecordsAsNchwAndNormalisesByTheTrainingSplit(@TempDir Path dir) throws Exception {
        Cifar10Source source = new Cifar10Source(false);
        Splits s = source.load(write(dir, 4, 3), 1);
        assertEquals(18, s.train().size(), "the first nine tenths of 20 training records");
        assertEquals(2, s.validation().size());
        assertEquals(3, s.test().size());
        assertEquals(3 * 32 * 32, s.train().inputSize());
        assertEquals(1, s.train().labels()[0], "file 1, record 0");
        assertEquals((5 + 2) % 10, s.validation().labels()[0], "record 2 of data_batch_5");
        assertNull(s.train().augmentation());

        float[] mean = source.normalization().mean(), std = source.normalization().std();
        // the training split, standardised per channel: mean 0 and variance 1 in each plane set
        for (int c = 0; c < 3; c++) {
            double sum = 0, squares = 0;
            for (int i = 0; i < 18; i++) {
                for (int p = 0; p < 1024; p++) {
                    double v = s.train().x()[i * 3072 + c * 1024 + p];
                    sum += v;
                    squares += v * v;
                }
            }
            assertEquals(0, sum / (18 * 1024), 1e-4, "channel " + c + " mean");
            assertEquals(1, squares / (18 * 1024), 1e-3, "channel " + c + " variance");
        }
        // test pixels go through the same transform: test record 1, red plane = 1/255
        assertEquals((1 / 255f - mean[0]) / std[0], s.test().x()[3072], 1e-5);
        assertEquals((100 / 255f - mean[1]) / std[1], s.test().x()[3072 + 1024], 1e-5, "green plane starts at 1024");
        assertEquals((255 / 255f - mean[2]) / std[2], s.test().x()[3072 + 2048], 1e-5, "blue plane starts at 2048");
    }

    @Test
    void findsTheArchiveFolderAndAugmentsTheTrainingSplitOnly(@TempDir Path dir) throws Exception {
        Path inner = Files.createDirectory(dir.resolve(Cifar10Source.ARCHIVE_DIR));
        write(inner, 2, 1);
        Splits s = new Cifar10Source().load(dir, 1);
        assertNotNull(s.train().augmentation());
        assertNull(s.validation().augmentation());
        assertNull(s.test().augmentation());
    }

    @Test
    void missingDirectoryFileOrRecordIsOneLine(@TempDir Path dir) throws Exception {
        DataException none = assertThrows(DataException.class, () -> new Cifar10Source().load(null, 1));
        assertTrue(none.getMessage().contains("data_batch_1.bin") && none.getMessage().contains("cifar-10-binary.tar.gz"),
                none.getMessage());
        write(dir, 2, 1);
        Files.delete(dir.resolve("data_batch_3.bin"));
        DataException missing = assertThrows(DataException.class, () -> new Cifar10Source().load(dir, 1));
        assertTrue(missing.getMessage().startsWith(dir.resolve("data_batch_3.bin") + ": missing"), missing.getMessage());
        Files.write(dir.resolve("data_batch_3.bin"), Arrays.copyOf(records(3, 2), 3073 * 2 - 5));
        DataException truncated = assertThrows(DataException.class, () -> new Cifar10Source().load(dir, 1));
        assertTrue(truncated.getMessage().contains("not a whole number of 3073-byte"), truncated.getMessage());
        byte[] bad = records(3, 2);
        bad[3073] = 12;
        Files.write(dir.resolve("data_batch_3.bin"), bad);
        DataException label = assertThrows(DataException.class, () -> new Cifar10Source().load(dir, 1));
        assertTrue(label.getMessage().contains("record 1 has label 12"), label.getMessage());
        for (DataException e : new DataException[] {none, missing, truncated, label}) assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void augmentationShiftsAndMirrorsWithinThePaddingAndRepeatsForASeed() {
        int c = 2, h = 5, w = 6, size = c * h * w;
        float[] image = new float[size];
        for (int i = 0; i < size; i++) image[i] = i + 1; // every pixel distinct and non-zero
        float[] x = new float[8 * size];
        for (int i = 0; i < 8; i++) System.arraycopy(image, 0, x, i * size, size);
        float[] again = x.clone();
        ImageAugmentation aug = new ImageAugmentation(c, h, w, 2, true);
        long state = aug.apply(x, 8, 42);
        assertEquals(state, aug.apply(again, 8, 42));
        assertArrayEquals(x, again, "the same seed gives the same batch");
        boolean changed = false;
        for (int i = 0; i < 8; i++) {
            float[] out = Arrays.copyOfRange(x, i * size, (i + 1) * size);
            changed |= !Arrays.equals(out, image);
            // each output pixel is 0 (uncovered) or the input pixel at a shift of at most 2, in the same channel
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < h; r++) {
                    for (int col = 0; col < w; col++) {
                        float v = out[(ch * h + r) * w + col];
                        if (v == 0) continue;
                        int src = (int) v - 1, sc = src / (h * w), sr = (src / w) % h;
                        assertEquals(ch, sc, "channels stay apart");
                        assertTrue(Math.abs(sr - r) <= 2, "row shift within the padding");
                    }
                }
            }
        }
        assertTrue(changed, "8 draws with 25 shifts and a flip leave some image changed");
    }

    @Test
    void batchIteratorAugmentsTrainingBatchesWithoutAllocating() {
        int size = 3 * 4 * 4;
        float[] x = new float[16 * size];
        for (int i = 0; i < x.length; i++) x[i] = 1 + i % 7;
        Dataset plain = Dataset.ofLabels("t", x, size, new int[16]);
        Dataset augmented = plain.withAugmentation(new ImageAugmentation(3, 4, 4, 1, true));
        assertThrows(IllegalArgumentException.class, () -> plain.withAugmentation(new ImageAugmentation(3, 5, 4, 1, true)));
        BatchIterator a = new BatchIterator(augmented, 8), b = new BatchIterator(plain, 8);
        Batch ba = new Batch(8, size, 1), bb = new Batch(8, size, 1);
        a.startEpoch(3);
        b.startEpoch(3);
        a.next(ba);
        b.next(bb);
        assertArrayEquals(bb.labels, ba.labels, "the same order");
        assertFalse(Arrays.equals(bb.x, ba.x), "augmented pixels");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 20 && best > 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int e = 0; e < 100; e++) {
                a.startEpoch(e);
                while (a.next(ba)) { }
            }
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, best, "bytes allocated by 100 augmented epochs");
    }
}
