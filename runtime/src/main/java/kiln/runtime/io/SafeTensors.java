package kiln.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes float32 tensors in the safetensors format (as used by Hugging Face), so that
 * checkpoints open in PyTorch with {@code safetensors.torch.load_file}.
 *
 * <p>Layout: an 8-byte little-endian header length N; N bytes of UTF-8 JSON
 * {@code {"__metadata__":{...}, "name":{"dtype":"F32","shape":[..],"data_offsets":[begin,end]}, ...}},
 * padded with spaces to a multiple of 8; then the tensors' little-endian bytes, back to back, with
 * offsets relative to the end of the header. Only F32 is supported. Reading checks that the
 * tensors exactly tile the data; every failure is an {@link IOException} with a one-line message.
 */
public final class SafeTensors {
    /** Larger headers are refused before being read (the reference implementation's limit too). */
    private static final long MAX_HEADER_BYTES = 100_000_000;
    private static final String METADATA = "__metadata__";

    private SafeTensors() {}

    /** One tensor: its shape and its values, row-major; {@code data.length} is the product of the shape. */
    public record Tensor(int[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (int d : shape) {
                if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " floats, data has " + data.length);
            }
        }
    }

    /** A file's tensors in the order the header lists them, and its string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Writes atomically: a crash leaves any previous {@code file} intact. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(file, out -> write(out, tensors, metadata));
    }

    /** Writes the tensors in {@code tensors}' iteration order; does not close {@code out}. */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        out.write(buf.array(), 0, 8);
        out.write(header);
        FloatBuffer floats = buf.clear().asFloatBuffer();
        for (Tensor t : tensors.values()) {
            for (int at = 0; at < t.data().length; ) {
                int n = Math.min(floats.capacity(), t.data().length - at);
                floats.clear();
                floats.put(t.data(), at, n);
                out.write(buf.array(), 0, n * Float.BYTES);
                at += n;
            }
        }
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(HeaderJson.quote(METADATA)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                json.append(sep).append(HeaderJson.quote(e.getKey())).append(':').append(HeaderJson.quote(e.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        String sep = metadata.isEmpty() ? "" : ",";
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            long end = offset + (long) e.getValue().data().length * Float.BYTES;
            json.append(sep).append(HeaderJson.quote(e.getKey())).append(":{\"dtype\":\"F32\",\"shape\":[");
            int[] shape = e.getValue().shape();
            for (int i = 0; i < shape.length; i++) json.append(i == 0 ? "" : ",").append(shape[i]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
            sep = ",";
        }
        json.append('}');
        // Pad in bytes, not chars (names may be non-ASCII), so the data starts 8-byte aligned.
        int length = json.toString().getBytes(StandardCharsets.UTF_8).length;
        json.append(" ".repeat((8 - length % 8) % 8));
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Contents read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
        try {
            return parse(bytes);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads only the {@code __metadata__} of {@code file} (the header, not the tensor data): cheap
     * even for a large checkpoint. Checks the header as {@link #read(Path)} does, but not the data.
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (length.hasRemaining() && ch.read(length) >= 0) {
                // keep reading
            }
            if (length.hasRemaining()) throw new IOException(file + ": not a safetensors file: " + ch.size() + " bytes, shorter than the 8-byte header length");
            long headerLength = length.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > ch.size() - 8) {
                throw new IOException(file + ": not a safetensors file or truncated: header length " + Long.toUnsignedString(headerLength)
                        + " but the file has " + (ch.size() - 8) + " bytes after it");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // keep reading
            }
            Object json;
            try {
                json = HeaderJson.parse(new String(header.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            if (!(json instanceof Map<?, ?> map)) throw new IOException(file + ": header is not a JSON object");
            Map<String, String> metadata = new LinkedHashMap<>();
            if (map.get(METADATA) instanceof Map<?, ?> meta) {
                for (Map.Entry<?, ?> m : meta.entrySet()) if (m.getValue() instanceof String v) metadata.put((String) m.getKey(), v);
            }
            return Collections.unmodifiableMap(metadata);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    /** Reads a whole stream; {@code name} prefixes error messages. */
    public static Contents read(InputStream in, String name) throws IOException {
        try {
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    private record Entry(String name, int[] shape, long begin, long end) {}

    private static Contents parse(byte[] bytes) throws IOException {
        if (bytes.length < 8) throw new IOException("not a safetensors file: " + bytes.length + " bytes, shorter than the 8-byte header length");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > bytes.length - 8) {
            throw new IOException("not a safetensors file or truncated: header length " + Long.toUnsignedString(headerLength)
                    + " but the file has " + (bytes.length - 8) + " bytes after it");
        }
        String text = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        if (!(HeaderJson.parse(text) instanceof Map<?, ?> header)) throw new IOException("header is not a JSON object");

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) throw new IOException(METADATA + " is not an object");
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String v)) throw new IOException(METADATA + " value for '" + m.getKey() + "' is not a string");
                    metadata.put((String) m.getKey(), v);
                }
            } else {
                entries.add(entry(name, e.getValue()));
            }
        }

        long dataBytes = bytes.length - 8 - headerLength;
        // The tensors must tile the data exactly, in some order: no gaps, no overlaps, nothing after.
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        for (Entry t : byOffset) {
            if (t.end > dataBytes) {
                throw new IOException("truncated: tensor '" + t.name + "' ends at byte " + t.end + " but the data holds only " + dataBytes);
            }
            if (t.begin != expected) {
                throw new IOException("tensor '" + t.name + "' starts at byte " + t.begin + " but the previous tensor ends at " + expected
                        + " (tensors overlap or leave a gap)");
            }
            expected = t.end;
        }
        if (expected != dataBytes) throw new IOException((dataBytes - expected) + " bytes of data after the last tensor");

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int dataStart = 8 + (int) headerLength;
        for (Entry t : entries) {
            float[] data = new float[(int) ((t.end - t.begin) / Float.BYTES)];
            ByteBuffer.wrap(bytes, dataStart + (int) t.begin, (int) (t.end - t.begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            tensors.put(t.name, new Tensor(t.shape, data));
        }
        return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static Entry entry(String name, Object value) throws IOException {
        if (!(value instanceof Map<?, ?> info)) throw new IOException("tensor '" + name + "': entry is not an object");
        if (!"F32".equals(info.get("dtype"))) {
            throw new IOException("tensor '" + name + "': dtype " + info.get("dtype") + " is not supported; only F32 is");
        }
        if (!(info.get("shape") instanceof List<?> dims)) throw new IOException("tensor '" + name + "': missing shape");
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new IOException("tensor '" + name + "': bad shape " + dims);
            }
            shape[i] = (int) (long) d;
            count = Math.min(count * d, 1L << 31); // capped, so the product never overflows
        }
        if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin < 0 || end < begin) {
            throw new IOException("tensor '" + name + "': bad data_offsets " + info.get("data_offsets"));
        }
        if (count > Integer.MAX_VALUE / Float.BYTES || end - begin != count * Float.BYTES) {
            throw new IOException("tensor '" + name + "': data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of F32 needs " + (count * Float.BYTES));
        }
        return new Entry(name, shape, begin, end);
    }
}
