package kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Map<String, SafeTensors.Tensor> sample() {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put("h1.weight", new SafeTensors.Tensor(new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}));
        t.put("h1.bias", new SafeTensors.Tensor(new int[] {2}, new float[] {0.25f, -0.5f}));
        t.put("scalar", new SafeTensors.Tensor(new int[] {}, new float[] {7}));
        t.put("optim/h1.weight.adam_m", new SafeTensors.Tensor(new int[] {6}, new float[] {1, 2, 3, 4, 5, 6}));
        return t;
    }

    private static Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", "Mlp");
        m.put("note", "quote \" backslash \\ newline \n tab \t é");
        return m;
    }

    private static byte[] bytes(Map<String, SafeTensors.Tensor> t, Map<String, String> m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, t, m);
        return out.toByteArray();
    }

    @Test
    void roundTripKeepsOrderShapesValuesAndMetadata() throws Exception {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, sample(), meta());
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.copyOf(sample().keySet()), List.copyOf(c.tensors().keySet()));
        for (Map.Entry<String, SafeTensors.Tensor> e : sample().entrySet()) {
            assertArrayEquals(e.getValue().shape(), c.tensors().get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), c.tensors().get(e.getKey()).data(), e.getKey());
        }
        assertEquals(meta(), c.metadata());
    }

    /** Checks the layout with nothing but a regex and ByteBuffer: what another reader would see. */
    @Test
    void headerIsReadableByAnIndependentCheck() throws Exception {
        byte[] b = bytes(sample(), meta());
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{") && header.stripTrailing().endsWith("}"), header);
        assertTrue(header.contains("\"__metadata__\":{\"model\":\"Mlp\""), header);
        Matcher m = Pattern.compile("\"([^\"]+)\":\\{\"dtype\":\"F32\",\"shape\":\\[([0-9,]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}")
                .matcher(header);
        int found = 0;
        long expectedBegin = 0;
        while (m.find()) {
            SafeTensors.Tensor t = sample().get(m.group(1));
            String shape = Arrays.stream(t.shape()).mapToObj(Integer::toString).reduce((x, y) -> x + "," + y).orElse("");
            assertEquals(shape, m.group(2));
            long begin = Long.parseLong(m.group(3)), end = Long.parseLong(m.group(4));
            assertEquals(expectedBegin, begin);
            assertEquals(4L * t.data().length, end - begin);
            for (int i = 0; i < t.data().length; i++) {
                assertEquals(t.data()[i], buf.getFloat((int) (8 + n + begin + 4L * i)), m.group(1) + "[" + i + "]");
            }
            expectedBegin = end;
            found++;
        }
        assertEquals(4, found);
        assertEquals(8 + n + expectedBegin, b.length);
    }

    @Test
    void readsAHandWrittenFileWithSpacesAndOtherKeyOrder() throws Exception {
        String header = "{ \"w\" : { \"data_offsets\" : [0, 8], \"shape\" : [1, 2], \"dtype\" : \"F32\" } }";
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).putFloat(1.5f).putFloat(-2f);
        SafeTensors.Contents c = SafeTensors.read(new ByteArrayInputStream(buf.array()), "hand");
        assertArrayEquals(new float[] {1.5f, -2f}, c.tensors().get("w").data());
        assertTrue(c.metadata().isEmpty());
    }

    private static String readError(byte[] b) {
        return assertThrows(IOException.class, () -> SafeTensors.read(new ByteArrayInputStream(b), "x.safetensors")).getMessage();
    }

    private static byte[] withHeader(String header, int dataBytes) {
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        return buf.array();
    }

    @Test
    void shortDataIsReportedWithTheTensorName() throws Exception {
        byte[] b = bytes(sample(), Map.of());
        assertEquals("x.safetensors: truncated: tensor 'optim/h1.weight.adam_m' ends at byte 60 but the data holds only 56",
                readError(Arrays.copyOf(b, b.length - 4)));
        assertEquals("x.safetensors: 4 bytes of data after the last tensor", readError(Arrays.copyOf(b, b.length + 4)));
    }

    @Test
    void corruptHeadersAreOneLineErrors() {
        assertEquals("x.safetensors: not a safetensors file: 3 bytes, shorter than the 8-byte header length", readError(new byte[3]));
        byte[] huge = withHeader("{}", 0);
        huge[5] = 1;
        assertEquals("x.safetensors: not a safetensors file or truncated: header length 1099511627778 but the file has 2 bytes after it",
                readError(huge));
        assertEquals("x.safetensors: bad header JSON: expected ',' or '}' at character 7",
                readError(withHeader("{\"a\":1 \"b\":2}", 0)));
        assertEquals("x.safetensors: tensor 'w': dtype F16 is not supported; only F32 is",
                readError(withHeader("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("x.safetensors: tensor 'w': data_offsets [0, 4] span 4 bytes but shape [2] of F32 needs 8",
                readError(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("x.safetensors: tensor 'b' starts at byte 0 but the previous tensor ends at 4 (tensors overlap or leave a gap)",
                readError(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("x.safetensors: tensor 'w': bad data_offsets [4, 0]",
                readError(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4)));
        assertEquals("x.safetensors: bad header JSON: nested deeper than 32 at character 32",
                readError(withHeader("[".repeat(40), 0)));
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("none.safetensors");
        assertEquals(p + ": no such file", assertThrows(IOException.class, () -> SafeTensors.read(p)).getMessage());
    }

    @Test
    void writeLeavesNoTemporaryFiles() throws Exception {
        SafeTensors.write(dir.resolve("a.safetensors"), sample(), meta());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("a.safetensors"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
