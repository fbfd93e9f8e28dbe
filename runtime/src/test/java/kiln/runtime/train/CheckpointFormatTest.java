package kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kiln.runtime.Param;
import kiln.runtime.optim.Optimizers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint read back by readers that share no code with the writer: a minimal safetensors
 * parser written here (regex and ByteBuffer), and, where the machine has it, Python with numpy.
 * Tensor names are the model's parameter names (what PyTorch's state_dict would use), optimizer
 * state is under optim/ and the best weights of early stopping under best/.
 */
class CheckpointFormatTest {
    @TempDir
    Path dir;

    private Path file;
    private final Map<String, float[]> weights = new LinkedHashMap<>();

    @BeforeEach
    void train() throws Exception {
        file = dir.resolve("run.safetensors");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (SoftmaxRegression m = new SoftmaxRegression(32, SyntheticData.INPUTS, 2)) {
            m.initParams(3);
            new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.05), SyntheticData.splits(300, 1),
                    new TrainConfig(2, 32, 7, file, null).withEarlyStopping(new EarlyStopping(5, 0)).withLog(null, dir.resolve("c.png")), quiet);
            for (Param p : m.params()) weights.put(p.name, p.value.clone()); // the best weights, restored at the end
        }
    }

    /** name -> (shape, data), parsed with nothing but a regex and a ByteBuffer. */
    private static Map<String, Object[]> parse(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) buf.getLong(0);
        String header = new String(bytes, 8, n, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"([^\"]+)\":\\{\"dtype\":\"F32\",\"shape\":\\[([0-9,]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}").matcher(header);
        Map<String, Object[]> out = new LinkedHashMap<>();
        while (m.find()) {
            int begin = Integer.parseInt(m.group(3)), end = Integer.parseInt(m.group(4));
            float[] data = new float[(end - begin) / 4];
            for (int i = 0; i < data.length; i++) data[i] = buf.getFloat(8 + n + begin + 4 * i);
            out.put(m.group(1), new Object[] {m.group(2), data});
        }
        return out;
    }

    @Test
    void namesAndValuesAsAnIndependentParserSeesThem() throws Exception {
        Map<String, Object[]> t = parse(Files.readAllBytes(file));
        List<String> names = List.copyOf(t.keySet());
        assertEquals(List.of("linear.weight", "linear.bias", "optim/linear.weight.adam_m", "optim/linear.bias.adam_m",
                "optim/linear.weight.adam_v", "optim/linear.bias.adam_v", "best/linear.weight", "best/linear.bias"), names);
        assertEquals("2,4", t.get("linear.weight")[0]);
        assertEquals("2", t.get("linear.bias")[0]);
        for (Map.Entry<String, float[]> w : weights.entrySet()) assertArrayEquals(w.getValue(), (float[]) t.get("best/" + w.getKey())[1]);
    }

    @Test
    void pythonWithNumpyReadsTheSameTensors() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process check = new ProcessBuilder(python.toString(), "-c", "import numpy").redirectErrorStream(true).start();
        Assumptions.assumeTrue(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0, "python3 has no numpy");
        String script = String.join("\n",
                "import json, struct, sys, numpy as np",
                "b = open(sys.argv[1], 'rb').read()",
                "n = struct.unpack('<Q', b[:8])[0]",
                "h = json.loads(b[8:8 + n])",
                "meta = h.pop('__metadata__')",
                "print('model', meta['model'], meta['epoch'])",
                "for name, t in h.items():",
                "    s, e = t['data_offsets']",
                "    a = np.frombuffer(b[8 + n + s:8 + n + e], dtype='<f4').reshape(t['shape'])",
                "    print(name, ','.join(map(str, a.shape)), repr(float(a.astype(np.float64).sum())))");
        Process p = new ProcessBuilder(python.toString(), "-c", script, file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, output);
        List<String> lines = output.lines().toList();
        assertEquals("model SoftmaxRegression 2", lines.get(0));
        Map<String, Object[]> ours = parse(Files.readAllBytes(file));
        assertEquals(ours.size(), lines.size() - 1, output);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(" ");
            Object[] t = ours.get(f[0]);
            assertTrue(t != null, "python found " + f[0]);
            assertEquals(t[0], f[1], f[0]);
            double sum = 0;
            for (float v : (float[]) t[1]) sum += v;
            assertEquals(sum, Double.parseDouble(f[2]), 1e-9 * Math.max(1, Math.abs(sum)), f[0]);
        }
    }
}
