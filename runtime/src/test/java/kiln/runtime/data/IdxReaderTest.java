package kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsRawImagesScaledToUnitRange() throws Exception {
        IdxReader.Images img = IdxReader.readImages(write("img", IdxBytes.images(3, 2, 5)));
        assertEquals(3, img.count());
        assertEquals(2, img.rows());
        assertEquals(5, img.cols());
        assertEquals(30, img.pixels().length);
        for (int i = 0; i < 30; i++) assertEquals((i % 251) / 255f, img.pixels()[i]);
    }

    @Test
    void readsGzipByContentNotByName() throws Exception {
        byte[] raw = IdxBytes.images(4, 3, 3);
        // A gzip file without .gz, and a raw file with .gz: both must be read by their content.
        IdxReader.Images gz = IdxReader.readImages(write("images-no-suffix", IdxBytes.gzip(raw)));
        IdxReader.Images plain = IdxReader.readImages(write("raw.gz", raw));
        assertArrayEquals(plain.pixels(), gz.pixels());
        assertEquals(4, gz.count());
    }

    @Test
    void readsLabelsRawAndFromStream() throws Exception {
        assertArrayEquals(new int[] {0, 9, 255}, IdxReader.readLabels(write("l", IdxBytes.labels(3, 0, 9, 255))));
        byte[] gz = IdxBytes.gzip(IdxBytes.labels(2, 7, 1));
        assertArrayEquals(new int[] {7, 1}, IdxReader.readLabels(new ByteArrayInputStream(gz), "res"));
    }

    @Test
    void truncatedImagesNameTheCounts() throws Exception {
        byte[] full = IdxBytes.images(10, 28, 28);
        Path p = write("t10k-images-idx3-ubyte.gz", IdxBytes.gzip(Arrays.copyOf(full, full.length - 2 * 784)));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(p));
        assertEquals(p + ": truncated: header says 10 images of 28x28 but the file holds 8", e.getMessage());

        Path partial = write("partial", Arrays.copyOf(full, full.length - 100));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(partial));
        assertEquals(partial + ": truncated: header says 10 images of 28x28 but the file holds 9 and part of another", e.getMessage());
    }

    @Test
    void fileShorterThanHeader() throws Exception {
        Path p = write("short", new byte[] {0, 0, 8, 3, 0});
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(p));
        assertEquals(p + ": truncated: 5 bytes is too short for the 16-byte IDX header", e.getMessage());
    }

    @Test
    void badMagicSaysWhatWasExpected() throws Exception {
        Path p = write("labels-as-images", IdxBytes.images(0x00000801, 1, 1, 1, 1));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(p));
        assertEquals(p + ": bad magic 0x00000801; expected 0x00000803 (IDX images, unsigned bytes, 3 dimensions)", e.getMessage());

        Path q = write("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(q));
        assertEquals(q + ": bad magic 0x89504e47; expected 0x00000801 (IDX labels, unsigned bytes, 1 dimension)", e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws Exception {
        byte[] full = IdxBytes.images(2, 2, 2);
        Path p = write("img", Arrays.copyOf(full, full.length + 3));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(p));
        assertEquals(p + ": trailing data: 3 bytes after the 2 images of 2x2 the header declares", e.getMessage());

        Path l = write("lab", IdxBytes.labels(2, 1, 2, 3));
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(l));
        assertEquals(l + ": trailing data: 1 bytes after the 2 labels the header declares", e.getMessage());
    }

    @Test
    void truncatedLabels() throws Exception {
        Path l = write("lab", IdxBytes.labels(5, 1, 2));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(l));
        assertEquals(l + ": truncated: header says 5 labels but the file holds 2", e.getMessage());
    }

    @Test
    void badDimensionsAndCorruptGzip() throws Exception {
        Path p = write("dims", IdxBytes.images(IdxReader.IMAGES_MAGIC, 1, 0, 5, 0));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(p));
        assertEquals(p + ": bad header: dimensions 1x0x5", e.getMessage());

        byte[] gz = IdxBytes.gzip(IdxBytes.images(50, 8, 8));
        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(cut));
        assertEquals(cut + ": truncated gzip data (Unexpected end of ZLIB input stream)", e.getMessage());
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope");
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(p));
        assertEquals(p + ": no such file", e.getMessage());
    }
}
