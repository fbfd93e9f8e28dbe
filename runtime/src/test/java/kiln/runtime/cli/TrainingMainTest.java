package kiln.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kiln.runtime.data.DataException;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.MnistSource;
import kiln.runtime.data.Splits;
import kiln.runtime.train.SoftmaxRegression;
import kiln.runtime.train.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingMainTest {
    @TempDir
    Path dir;

    private static final TrainDefaults DEFAULTS = new TrainDefaults(2, 16, 0.5, "sgd", 0.0, 1);
    private static final DataSource SYNTHETIC = new DataSource() {
        @Override
        public Splits load(Path dataDir, long seed) {
            return SyntheticData.splits(1000, 4);
        }

        @Override
        public String describe() {
            return "synthetic two-class data";
        }
    };

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** Set by a test to make the model's loss NaN on that training step. */
    private int nanOnCall;
    /** Set by a test to change what the model declares for its parameters. */
    private java.util.function.Consumer<SoftmaxRegression> declare = m -> {};

    private int run(DataSource data, String... args) {
        out.reset();
        err.reset();
        ModelFactory factory = (maxBatch, threads) -> {
            SoftmaxRegression m = new SoftmaxRegression(maxBatch, SyntheticData.INPUTS, 2);
            m.nanOnCall = nanOnCall;
            declare.accept(m);
            return m;
        };
        return TrainingMain.run("SoftmaxRegression", factory, data, DEFAULTS, args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The single line printed on stderr. */
    private String errorLine() {
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.endsWith("\n") && e.indexOf('\n') == e.length() - 1, "one line expected on stderr, got:\n" + e);
        return e.substring(0, e.length() - 1);
    }

    @Test
    void badOptionsPrintOneLineAndExitTwo() {
        assertEquals(2, run(SYNTHETIC, "--epoch", "3"));
        assertEquals("error: unknown option --epoch (did you mean --epochs?); try --help", errorLine());
        assertEquals("", out());

        assertEquals(2, run(SYNTHETIC, "--epochs", "0"));
        assertEquals("error: --epochs must be >= 1, got 0; try --help", errorLine());

        assertEquals(2, run(SYNTHETIC, "--threads=0"));
        assertEquals("error: --threads must be >= 1, got 0; try --help", errorLine());

        assertEquals(2, run(SYNTHETIC, "--lr"));
        assertEquals("error: --lr needs a value (X); try --help", errorLine());

        assertEquals(2, run(SYNTHETIC, "--resume", dir.resolve("missing.st").toString()));
        assertEquals("error: --resume: no such file " + dir.resolve("missing.st") + "; try --help", errorLine());

        assertEquals(2, run(SYNTHETIC, "--save", dir.resolve("no/dir/x.st").toString()));
        assertEquals("error: --save: no such directory " + dir.resolve("no/dir") + "; try --help", errorLine());
    }

    @Test
    void helpListsOptionsAndExitsZero() {
        assertEquals(0, run(SYNTHETIC, "--help"));
        assertTrue(out().startsWith("usage: SoftmaxRegression [options]"), out());
        assertTrue(out().contains("--weight-decay X") && out().contains("(default: synthetic two-class data from its default location)"), out());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingDataIsOneLine() {
        Path nowhere = dir.resolve("nowhere");
        assertEquals(2, run(new MnistSource(), "--data", nowhere.toString()));
        assertTrue(errorLine().startsWith("error: " + nowhere + ": no such directory; expected train-images-idx3-ubyte"), errorLine());

        DataSource failing = new DataSource() {
            @Override
            public Splits load(Path dataDir, long seed) throws DataException {
                throw new DataException("t10k-images-idx3-ubyte.gz: truncated: header says 10000 images of 28x28 but the file holds 9998");
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        assertEquals(2, run(failing));
        assertEquals("error: t10k-images-idx3-ubyte.gz: truncated: header says 10000 images of 28x28 but the file holds 9998", errorLine());
    }

    @Test
    void corruptCheckpointIsOneLine() throws Exception {
        Path bad = Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertEquals(2, run(SYNTHETIC, "--resume", bad.toString()));
        assertEquals("error: " + bad + ": not a safetensors file or truncated: header length 578437695752307201 but the file has 1 bytes after it",
                errorLine());
    }

    @Test
    void trainsSavesAndResumes() {
        Path ckpt = dir.resolve("run.safetensors");
        assertEquals(0, run(SYNTHETIC, "--epochs", "2", "--batch=32", "--threads", "1", "--save", ckpt.toString()), err.toString());
        String log = out();
        assertTrue(log.startsWith("SoftmaxRegression: 10 parameters | synthetic two-class data: 1,000 train, 200 validation, 200 test | sgd"),
                log);
        assertTrue(log.contains("| batch 32, 1 thread"), log);
        assertTrue(log.contains("epoch 2/2  train loss"), log);
        assertTrue(log.contains("test  loss"), log);
        assertTrue(Files.exists(ckpt));

        assertEquals(0, run(SYNTHETIC, "--epochs", "3", "--batch=32", "--resume", ckpt.toString(), "--lr", "0.25"), err.toString());
        log = out();
        assertTrue(log.contains("resumed from " + ckpt + " after epoch 2, step 64; lr 0.25"), log);
        assertTrue(log.contains("epoch 3/3  train") && !log.contains("epoch 1/3"), log);
    }

    @Test
    void divergenceIsOneLineAndExitOne() {
        nanOnCall = 3;
        assertEquals(1, run(SYNTHETIC, "--epochs", "1"));
        assertEquals("error: loss became NaN at epoch 1, step 3 (batch 3 of 63); training stopped; no checkpoint was saved; "
                + "try a lower learning rate", errorLine());
    }

    @Test
    void theOptimizerTakesWhatEachParameterDeclares() throws Exception {
        declare = m -> {
            m.param("linear.bias").configure(true, 1, Double.NaN); // frozen
            m.param("linear.weight").configure(false, 0.5, 0.01); // half the rate, its own decay
        };
        Path ckpt = dir.resolve("frozen.safetensors");
        assertEquals(0, run(SYNTHETIC, "--epochs", "1", "--optimizer", "momentum", "--weight-decay", "0.1", "--threads", "1",
                "--save", ckpt.toString()), err.toString());
        assertTrue(out().contains("weight_decay=[0.01 on 1 tensor at x0.5 lr]"), out());
        var saved = kiln.runtime.io.SafeTensors.read(ckpt).tensors();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[2], saved.get("linear.bias").data(), "a frozen bias keeps its zeros");
        assertTrue(saved.containsKey("optim/linear.weight.momentum") && !saved.containsKey("optim/linear.bias.momentum"), saved.keySet().toString());
    }

    @Test
    void aModelWithoutTargetsTrainsOnLabelledDataAndHasNoAccuracyToMonitor() {
        ModelFactory autoencoder = (maxBatch, threads) -> new kiln.runtime.train.TinyAutoencoder(maxBatch, SyntheticData.INPUTS, 2);
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, TrainingMain.run("TinyAutoencoder", autoencoder, SYNTHETIC, DEFAULTS, new String[] {"--monitor", "accuracy"}, o, e));
        assertEquals("error: --monitor accuracy: TinyAutoencoder learns from no targets, so it has no accuracy; monitor its loss; try --help",
                errorLine());
        out.reset();
        err.reset();
        assertEquals(0, TrainingMain.run("TinyAutoencoder", autoencoder, SYNTHETIC, DEFAULTS,
                new String[] {"--epochs", "1", "--threads", "1", "--early-stop", "2", "--monitor", "code"}, o, e), err.toString());
        assertTrue(out().matches("(?s).*epoch 1/1  train loss \\d\\.\\d{4}  reconstruction \\d\\.\\d{4}  code \\d\\.\\d{4}  val loss .*"), out());
        assertTrue(out().contains("test  loss ") && !out().contains("acc"), out());
    }
}
