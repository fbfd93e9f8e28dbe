package kiln.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.Splits;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.train.SoftmaxRegression;
import kiln.runtime.train.SyntheticData;
import kiln.runtime.train.TinyMlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated main's workflow end to end, through {@link TrainingMain#run} with a hand-written
 * model shaped like a generated one: exact resume (at an epoch end and within an epoch),
 * evaluation and prediction from a checkpoint, and hyperparameter search.
 */
class TrainingWorkflowTest {
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
    /** Set by a test to make the loss NaN on that training step of the next run. */
    private int nanOnCall;

    private int run(String... args) {
        out.reset();
        err.reset();
        ModelFactory factory = (maxBatch, threads) -> {
            SoftmaxRegression m = new SoftmaxRegression(maxBatch, SyntheticData.INPUTS, 2);
            m.nanOnCall = nanOnCall;
            return m;
        };
        return TrainingMain.run("SoftmaxRegression", factory, SYNTHETIC, DEFAULTS, args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Every tensor of two checkpoints (weights, optimizer state, best weights) is bit-identical. */
    private static void assertSameTensors(Path expected, Path actual) throws Exception {
        Map<String, SafeTensors.Tensor> a = SafeTensors.read(expected).tensors(), b = SafeTensors.read(actual).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
    }

    private static final String[] RECIPE = {"--optimizer", "adamw", "--lr", "0.05", "--weight-decay", "0.01", "--no-bias-decay",
        "--schedule", "cosine:warmup=1,min=0.001", "--early-stop", "10", "--clip-norm", "1", "--batch", "32", "--threads", "1"};

    private static String[] with(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(RECIPE));
        all.addAll(Arrays.asList(args));
        return all.toArray(new String[0]);
    }

    @Test
    void resumingThroughTheMainIsBitIdenticalToAnUninterruptedRun() throws Exception {
        Path whole = dir.resolve("whole.safetensors"), parts = dir.resolve("parts.safetensors");
        assertEquals(0, run(with("--epochs", "4", "--save", whole.toString())), err());
        // The same run, broken off by a NaN loss at the first step of epoch 3 (32 steps per epoch):
        // its checkpoint holds epoch 2. (A separate 2-epoch run would not do: the cosine spans --epochs.)
        nanOnCall = 65;
        assertEquals(1, run(with("--epochs", "4", "--save", parts.toString())));
        assertTrue(err().contains(parts + " still holds epoch 2"), err());
        nanOnCall = 0;
        assertEquals(0, run(with("--epochs", "4", "--save", parts.toString(), "--resume", parts.toString())), err());
        assertTrue(out().contains("resumed from " + parts + " after epoch 2, step 64"), out());
        assertSameTensors(whole, parts);
        Map<String, String> a = SafeTensors.read(whole).metadata(), b = SafeTensors.read(parts).metadata();
        for (String key : List.of("epoch", "step", "learning_rate", "optimizer_steps", "early_stopping.best", "early_stopping.best_epoch")) {
            assertEquals(a.get(key), b.get(key), key);
        }
        // The resumed run's log covers all four epochs.
        assertEquals(5, Files.readAllLines(dir.resolve("parts.metrics.csv")).size());
    }

    @Test
    void resumingFromWithinAnEpochIsBitIdenticalToo() throws Exception {
        Path whole = dir.resolve("whole.safetensors"), cut = dir.resolve("cut.safetensors");
        assertEquals(0, run(with("--epochs", "3", "--save", whole.toString())), err());
        // The run breaks down at step 45 (batch 13 of epoch 2); its last checkpoint is from step 42.
        nanOnCall = 45;
        assertEquals(1, run(with("--epochs", "3", "--save", cut.toString(), "--save-every", "7")));
        assertTrue(err().contains("loss became NaN at epoch 2, step 45 (batch 13 of 32); training stopped; " + cut
                + " still holds step 42 (batch 10 of epoch 2)"), err());
        assertEquals("42", SafeTensors.read(cut).metadata().get("step"));
        nanOnCall = 0;
        assertEquals(0, run(with("--epochs", "3", "--save", cut.toString(), "--resume", cut.toString())), err());
        assertTrue(out().contains("resumed from " + cut + " after epoch 1 and 320 of 1,000 samples of epoch 2, step 42"), out());
        assertSameTensors(whole, cut);
    }

    @Test
    void evalAndPredictUseTheCheckpoint() throws Exception {
        Path ckpt = dir.resolve("m.safetensors");
        assertEquals(0, run("--epochs", "2", "--save", ckpt.toString(), "--threads", "1"), err());
        String trained = out();
        String testLine = trained.lines().filter(l -> l.startsWith("test  ")).findFirst().orElseThrow();

        assertEquals(0, run("--eval", ckpt.toString()), err());
        assertTrue(out().startsWith("SoftmaxRegression: " + ckpt + " (epoch 2) | synthetic two-class data"), out());
        assertTrue(out().contains(testLine), out() + "\nvs\n" + testLine);

        Path predictions = dir.resolve("p.csv");
        assertEquals(0, run("--predict", ckpt.toString(), "--output", predictions.toString()), err());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(200, lines.size());
        for (String l : lines) assertTrue(l.matches("[01],(0\\.[5-9]\\d{5}|1\\.000000)"), l);
        assertTrue(out().contains("wrote 200 predictions for the test split to " + predictions), out());

        Path input = Files.writeString(dir.resolve("in.csv"), "a,b,c,d\n1,1,-1,0\n-1,-1,1,0.5\n");
        assertEquals(0, run("--predict", ckpt.toString(), "--input", input.toString()), err());
        List<String> rows = out().lines().toList();
        assertEquals(2, rows.size(), out());
        assertTrue(rows.get(0).startsWith("1,") && rows.get(1).startsWith("0,"), out()); // x0 + x1 - x2 > 0 is class 1

        Path bad = Files.writeString(dir.resolve("bad.csv"), "1,2,3,4\n1,2,3\n");
        assertEquals(2, run("--predict", ckpt.toString(), "--input", bad.toString()));
        assertEquals("error: " + bad + ":2: 3 fields, expected 4 as on line 1\n", err());
    }

    @Test
    void gridSearchFindsTheKnownBestPointAndTestsItOnce() {
        // One epoch: a rate of 1e-4 barely moves the weights, 0.5 learns the problem; batch 16 takes
        // four times the steps of batch 64. So (0.5, 16), trial 3, has the lowest validation loss.
        assertEquals(0, run("--search", "grid", "--lr", "0.0001,0.5", "--batch", "16,64", "--epochs", "1", "--threads", "1"), err());
        String log = out();
        assertTrue(log.startsWith("grid search over lr, batch: 4 trials of 1 epochs on 1,000 training samples, scored by validation loss"), log);
        Matcher table = Pattern.compile("(?m)^\\s+1\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)\\s").matcher(log);
        assertTrue(table.find(), log);
        assertEquals("3", table.group(1));
        assertEquals("0.5", table.group(3));
        assertEquals("16", table.group(4));
        assertTrue(log.contains("best: trial 3 (lr=0.5, batch=16, weight_decay=0), validation loss "), log);
        assertEquals(1, log.lines().filter(l -> l.startsWith("test  ")).count(), log);
        assertTrue(log.indexOf("test  ") > log.indexOf("best: trial 3"), log);
    }

    @Test
    void randomSearchDrawsFromRanges() {
        assertEquals(0, run("--search", "random:3", "--lr", "log:0.01:1", "--epochs", "1", "--threads", "1", "--monitor", "accuracy"), err());
        String log = out();
        assertTrue(log.startsWith("random search over lr: 3 trials"), log);
        assertEquals(3, log.lines().filter(l -> l.startsWith("trial ")).count(), log);
        assertTrue(log.contains("scored by validation accuracy"), log);
    }

    @Test
    void searchTriesTheSizesOfAModelBuiltAtRunTime() {
        ParametricModelFactory mlp = new ParametricModelFactory() {
            @Override
            public CompiledModel create(Map<String, Integer> sizes, int maxBatch, int threads) {
                return new TinyMlp(maxBatch, 2, sizes.get("hidden"), 2);
            }

            @Override
            public Map<String, int[]> sizeChoices() {
                return Map.of("hidden", new int[] {1, 16});
            }
        };
        DataSource xor = new DataSource() {
            @Override
            public Splits load(Path dataDir, long seed) {
                return TinyMlp.xorSplits(5);
            }

            @Override
            public String describe() {
                return "exclusive or";
            }
        };
        out.reset();
        int code = TrainingMain.run("TinyMlp", mlp, xor, new TrainDefaults(25, 16, 0.05, "adam", 0, 3),
                new String[] {"--search", "grid", "--monitor", "accuracy", "--threads", "1", "--save", dir.resolve("xor.safetensors").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err());
        String log = out();
        assertTrue(log.startsWith("grid search over hidden: 2 trials"), log);
        assertTrue(log.contains("best: trial 2 (lr=0.05, batch=16, weight_decay=0, hidden=16)"), log);
        // The checkpoint records the size, so evaluating it rebuilds the same model.
        assertEquals("hidden=16", SafeTensorsMeta.of(dir.resolve("xor.safetensors")).get("sizes"));
        out.reset();
        code = TrainingMain.run("TinyMlp", mlp, xor, new TrainDefaults(25, 16, 0.05, "adam", 0, 3),
                new String[] {"--eval", dir.resolve("xor.safetensors").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err());
        assertTrue(out().contains("test  loss"), out());
    }

    /** Reads a checkpoint's metadata. */
    private static final class SafeTensorsMeta {
        static Map<String, String> of(Path file) {
            try {
                return SafeTensors.readMetadata(file);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
