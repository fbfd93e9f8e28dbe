package kiln.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.train.CustomTraining;
import kiln.runtime.train.TinyGan;
import kiln.runtime.train.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own main for a run with its own step, {@link TrainingMain#run(String, CustomTrainingFactory,
 * DataSource, TrainDefaults, String[])}: a GAN's generator and discriminator, each with the
 * optimizer the command line asks for, trained, checkpointed, resumed and evaluated like a generated model.
 */
class CustomMainTest {
    @TempDir
    Path dir;

    private static final TrainDefaults DEFAULTS = new TrainDefaults(3, 16, 0.02, "adam", 0, 7);
    private static final DataSource POINTS = new DataSource() {
        @Override
        public Splits load(Path dataDir, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] x = new float[160 * TinyGan.DIM];
            for (int i = 0; i < x.length; i++) x[i] = (float) ((i % 2 == 0 ? 2 : -1) + 0.3 * random.nextGaussian());
            Dataset all = Dataset.ofInputs("points", List.of(new Dataset.Input(null, x, TinyGan.DIM)));
            return new Splits(all.subset("points train", 0, 96), all.subset("points validation", 96, 128), all.subset("points test", 128, 160));
        }

        @Override
        public String describe() {
            return "points around (2, -1)";
        }
    };

    /** The user's setup: both models sized for the run, each with the command line's optimizer. */
    private static CustomTraining gan(RunSettings settings) {
        TinyGan.Generator generator = new TinyGan.Generator(settings.batch());
        TinyGan.Discriminator discriminator = new TinyGan.Discriminator(2 * settings.batch());
        Optimizer g = settings.optimizer(generator), d = settings.optimizer(discriminator);
        return CustomTraining.of(TinyGan.step(generator, g, discriminator, d, settings.batch()),
                new TrainedModel("generator", generator, g), new TrainedModel("discriminator", discriminator, d));
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(CustomTrainingFactory setup, String... args) {
        out.reset();
        err.reset();
        return TrainingMain.run("Gan", setup, POINTS, DEFAULTS, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aGanTrainsSavesResumesAndIsEvaluatedThroughTheMain() throws Exception {
        Path whole = dir.resolve("whole.safetensors"), part = dir.resolve("part.safetensors");
        String[] recipe = {"--schedule", "step:1:0.5", "--clip-norm", "1", "--threads", "1", "--no-bias-decay", "--weight-decay", "0.01"};
        assertEquals(0, run(CustomMainTest::gan, concat(recipe, "--epochs", "3", "--save", whole.toString())), err());
        String log = out();
        assertTrue(log.startsWith("Gan: generator (TinyGenerator, 6 parameters, adam(lr=0.02, beta1=0.9, beta2=0.999, eps=1.0E-8,"
                + " weight_decay=[0.01 on 1 tensor, 0.0 on 1 tensor])), discriminator (TinyDiscriminator, 3 parameters, adam("), log);
        assertTrue(log.contains(" | points around (2, -1): 96 train, 32 validation, 32 test | step(every=1, gamma=0.5), clip norm 1.0 | batch 16, 1 thread"),
                log);
        assertTrue(log.contains("note: validation scores no model; not generator (TinyGenerator has no loss of its own), discriminator"
                + " (points validation: has no targets but model TinyDiscriminator expects 1 binary targets per sample); give the run an"
                + " Evaluator to score it"), log);
        assertTrue(log.matches("(?s).*epoch 3/3  train discriminator/acc [\\d.]+%  d_loss \\d\\.\\d{4}  g_loss \\d\\.\\d{4}  [\\d.]+ s.*"), log);
        assertTrue(Files.exists(dir.resolve("whole.curves.png")), log);

        assertEquals(0, run(CustomMainTest::gan, concat(recipe, "--epochs", "2", "--save", part.toString())), err());
        assertEquals(0, run(CustomMainTest::gan, concat(recipe, "--epochs", "3", "--save", part.toString(), "--resume", part.toString())), err());
        assertTrue(out().contains("resumed from " + part + " after epoch 2, step 12; lr 0.01"), out());
        Map<String, SafeTensors.Tensor> a = SafeTensors.read(whole).tensors(), b = SafeTensors.read(part).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);

        // An explicit --lr on resume gives every optimizer that base rate from there on.
        assertEquals(0, run(CustomMainTest::gan, concat(recipe, "--epochs", "4", "--save", part.toString(), "--resume", part.toString(),
                "--lr", "0.1")), err());
        Map<String, String> meta = SafeTensors.readMetadata(part);
        assertEquals("0.1", meta.get("generator/base_learning_rate"));
        assertEquals("0.1", meta.get("discriminator/base_learning_rate"));
        assertEquals(0.1 * 0.125, Double.parseDouble(meta.get("discriminator/learning_rate")), 1e-15);

        assertEquals(0, run(CustomMainTest::gan, "--eval", whole.toString()), err());
        assertEquals("Gan: " + whole + " (epoch 3) | points around (2, -1)\ntest  -  (32 samples)\n", out(),
                "no model reads the test split as it is: nothing to score");
    }

    @Test
    void aMonitorTheRunDoesNotReportAndAPredictionAreOneLineErrors() {
        assertEquals(2, run(CustomMainTest::gan, "--early-stop", "2", "--monitor", "d_loss"));
        assertEquals("error: --monitor d_loss: Gan's validation reports nothing (no model reads the data as it is); give the run an Evaluator;"
                + " try --help\n", err());
        assertEquals(2, run(CustomMainTest::gan, "--predict", "x.safetensors"));
        assertEquals("error: --predict applies to a generated model; score a run with its own training step with --eval; try --help\n", err());

        // With its own evaluator, a run reports its own figures, which it may monitor.
        CustomTrainingFactory scored = settings -> gan(settings).withEvaluator(data -> Map.of("mean_x", mean(data, 0)));
        assertEquals(0, run(scored, "--early-stop", "2", "--monitor", "mean_x:max", "--epochs", "2", "--threads", "1"), err());
        assertTrue(out().contains("val mean_x ") && out().contains("test  mean_x "), out());
        assertEquals(1, run(scored, "--early-stop", "2", "--monitor", "fid", "--epochs", "2", "--threads", "1"));
        assertEquals("error: cannot monitor validation fid: the run's validation reports mean_x\n", err());
    }

    private static double mean(Dataset data, int column) {
        double sum = 0;
        for (int i = 0; i < data.size(); i++) sum += data.x()[2 * i + column];
        return sum / data.size();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
