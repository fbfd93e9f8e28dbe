package kiln.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds IDX file contents for tests, independently of {@link IdxReader}. */
final class IdxBytes {
    private IdxBytes() {}

    /** Image file: header for (n, rows, cols), then {@code bodyBytes} bytes where byte i is i % 251. */
    static byte[] images(int magic, int n, int rows, int cols, int bodyBytes) {
        ByteBuffer b = ByteBuffer.allocate(16 + bodyBytes); // big-endian by default, as IDX is
        b.putInt(magic).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < bodyBytes; i++) b.put((byte) (i % 251));
        return b.array();
    }

    static byte[] images(int n, int rows, int cols) {
        return images(IdxReader.IMAGES_MAGIC, n, rows, cols, n * rows * cols);
    }

    /** Label file: header for n, then {@code values.length} labels. */
    static byte[] labels(int n, int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(n);
        for (int v : values) b.put((byte) v);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(raw);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
