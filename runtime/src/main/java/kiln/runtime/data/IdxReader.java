package kiln.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files that MNIST and Fashion-MNIST ship in: a big-endian header (magic, then one
 * int per dimension) followed by unsigned bytes. Images are magic 0x00000803 with shape
 * [n, rows, cols]; labels are magic 0x00000801 with shape [n].
 *
 * <p>Files may be raw or gzip-compressed; gzip is recognised by its first two bytes (0x1f 0x8b),
 * not by the file name, because downloads are often renamed. The whole file must match its header
 * exactly: a short file or trailing bytes is an error, not a silently smaller data set.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /** Images [count, rows, cols], pixels scaled from 0..255 to [0, 1], row-major. */
    public record Images(int count, int rows, int cols, float[] pixels) {
        public int pixelsPerImage() {
            return rows * cols;
        }
    }

    public static Images readImages(Path file) throws DataException {
        return parseImages(readFile(file), file.toString());
    }

    /** Reads images from a stream (e.g. a class-path resource); {@code name} is used in messages. */
    public static Images readImages(InputStream in, String name) throws DataException {
        return parseImages(readStream(in, name), name);
    }

    /** Labels [count], each 0..255. */
    public static int[] readLabels(Path file) throws DataException {
        return parseLabels(readFile(file), file.toString());
    }

    public static int[] readLabels(InputStream in, String name) throws DataException {
        return parseLabels(readStream(in, name), name);
    }

    private static Images parseImages(byte[] b, String name) throws DataException {
        checkHeader(b, name, IMAGES_MAGIC, 16, "IDX images, unsigned bytes, 3 dimensions");
        int n = intAt(b, 4), rows = intAt(b, 8), cols = intAt(b, 12);
        if (n < 0 || rows <= 0 || cols <= 0) {
            throw new DataException(name + ": bad header: dimensions " + n + "x" + rows + "x" + cols);
        }
        long perImage = (long) rows * cols;
        checkLength(b, name, 16, n, perImage, "images of " + rows + "x" + cols);
        float[] pixels = new float[Math.toIntExact(n * perImage)];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (b[16 + i] & 0xff) / 255f;
        return new Images(n, rows, cols, pixels);
    }

    private static int[] parseLabels(byte[] b, String name) throws DataException {
        checkHeader(b, name, LABELS_MAGIC, 8, "IDX labels, unsigned bytes, 1 dimension");
        int n = intAt(b, 4);
        if (n < 0) throw new DataException(name + ": bad header: " + n + " labels");
        checkLength(b, name, 8, n, 1, "labels");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = b[8 + i] & 0xff;
        return labels;
    }

    private static void checkHeader(byte[] b, String name, int magic, int headerBytes, String what) throws DataException {
        if (b.length < headerBytes) {
            throw new DataException(name + ": truncated: " + b.length + " bytes is too short for the "
                    + headerBytes + "-byte IDX header");
        }
        int found = intAt(b, 0);
        if (found != magic) {
            throw new DataException(String.format("%s: bad magic 0x%08x; expected 0x%08x (%s)", name, found, magic, what));
        }
    }

    /** The body must hold exactly {@code count} records of {@code recordBytes} each. */
    private static void checkLength(byte[] b, String name, int headerBytes, int count, long recordBytes, String what)
            throws DataException {
        long body = b.length - headerBytes;
        long expected = count * recordBytes;
        if (body < expected) {
            long whole = body / recordBytes;
            String partial = body % recordBytes == 0 ? "" : " and part of another";
            throw new DataException(name + ": truncated: header says " + count + " " + what
                    + " but the file holds " + whole + partial);
        }
        if (body > expected) {
            throw new DataException(name + ": trailing data: " + (body - expected) + " bytes after the "
                    + count + " " + what + " the header declares");
        }
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static byte[] readFile(Path file) throws DataException {
        try (InputStream in = Files.newInputStream(file)) {
            return readStream(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** All bytes of the stream, decompressed when it starts with the gzip magic. */
    private static byte[] readStream(InputStream raw, String name) throws DataException {
        try {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            int b0 = in.read(), b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(in, 1 << 16)) {
                    return gz.readAllBytes();
                }
            }
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new DataException(name + ": truncated gzip data (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new DataException(name + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + e.getMessage(), e);
        }
    }
}
