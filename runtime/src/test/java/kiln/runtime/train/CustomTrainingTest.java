package kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.CosineAnnealing;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.optim.StepDecay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs with a training step of their own: the built-in step's equal, and two models with their own optimizers. */
class CustomTrainingTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStepOfOnesOwnDoingWhatTheBuiltInOneDoesGivesBitIdenticalParameters() throws Exception {
        Splits data = SyntheticData.splits(700, 3);
        TrainConfig config = new TrainConfig(3, 32, 9, null, null).withSchedule(new CosineAnnealing(3, 1, 0)).withClipping(0.5, 0);
        TrainResult builtIn, custom;
        float[][] expected;
        try (SoftmaxRegression m = new SoftmaxRegression(32, SyntheticData.INPUTS, 2)) {
            m.initParams(4);
            builtIn = new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.05), data, config, out);
            expected = m.params().stream().map(p -> p.value.clone()).toArray(float[][]::new);
        }
        try (SoftmaxRegression m = new SoftmaxRegression(32, SyntheticData.INPUTS, 2)) {
            m.initParams(4);
            Optimizer adam = Optimizers.create("adam", m.params(), 0.05);
            TrainingStep mine = (batch, context) -> {
                m.forward(batch);
                context.reportAccuracy(m, batch);
                float loss = m.lossAndGrad(batch);
                context.reportLoss(m, loss);
                m.backward();
                context.update(adam);
            };
            custom = new Trainer().fit(CustomTraining.of(mine, new TrainedModel("regression", m, adam)), data, config, out);
            for (int k = 0; k < expected.length; k++) assertArrayEquals(expected[k], m.params().get(k).value, m.params().get(k).name);
        }
        assertEquals(builtIn.train(), custom.train(), "the same running figures");
        assertEquals(builtIn.validation(), custom.validation(), "the default evaluator scores the model as the built-in run does");
        assertEquals(builtIn.test(), custom.test());
    }

    /** Points around (2, -1): what the generator should learn to make. */
    private static Splits points() {
        SplittableRandom random = new SplittableRandom(5);
        Dataset[] parts = new Dataset[3];
        int[] sizes = {96, 32, 32};
        for (int p = 0; p < 3; p++) {
            float[] x = new float[sizes[p] * TinyGan.DIM];
            for (int i = 0; i < sizes[p]; i++) {
                x[2 * i] = (float) (2 + 0.3 * random.nextGaussian());
                x[2 * i + 1] = (float) (-1 + 0.3 * random.nextGaussian());
            }
            parts[p] = Dataset.ofInputs("points " + p, List.of(new Dataset.Input(null, x, TinyGan.DIM)));
        }
        return new Splits(parts[0], parts[1], parts[2]);
    }

    /** A fresh GAN run: both models initialised from seed 7, Adam for each; scored by how far the fakes' mean is from the data's. */
    private static CustomTraining gan(int batch) {
        TinyGan.Generator generator = new TinyGan.Generator(batch);
        TinyGan.Discriminator discriminator = new TinyGan.Discriminator(2 * batch);
        Optimizer g = Optimizers.create("adam", generator.params(), 0.05), d = Optimizers.create("adam", discriminator.params(), 0.02);
        List<TrainedModel> models = List.of(new TrainedModel("generator", generator, g), new TrainedModel("discriminator", discriminator, d));
        new RunModels(models).initParams(7);
        float[] z = new float[batch * TinyGan.LATENT];
        for (int i = 0; i < z.length; i++) z[i] = (float) Math.sin(i + 1);
        Evaluator gap = data -> {
            kiln.runtime.Batch b = kiln.runtime.Batch.forModel(generator, batch);
            System.arraycopy(z, 0, b.x, 0, z.length);
            b.size = batch;
            float[] fake = generator.predict(b);
            double dx = 0, dy = 0;
            for (int r = 0; r < batch; r++) {
                dx += fake[2 * r] - 2;
                dy += fake[2 * r + 1] + 1;
            }
            return Map.of("gap", Math.hypot(dx, dy) / batch);
        };
        return CustomTraining.of(TinyGan.step(generator, g, discriminator, d, batch), models.toArray(new TrainedModel[0])).withEvaluator(gap);
    }

    private static void close(CustomTraining run) {
        for (TrainedModel m : run.models()) m.model().close();
    }

    @Test
    void twoModelsWithTheirOwnOptimizersCheckpointUnderTheirNamesAndResumeExactly() throws Exception {
        Splits data = points();
        Path whole = dir.resolve("whole.safetensors"), cut = dir.resolve("cut.safetensors");
        TrainConfig config = new TrainConfig(4, 16, 3, whole, null).withSchedule(new StepDecay(1, 0.5)).withClipping(1, 0)
                .withEarlyStopping(new EarlyStopping(10, 0)).withMonitor(Monitor.parse("gap"));
        CustomTraining straight = gan(16);
        TrainResult r;
        double before = straight.evaluator().evaluate(data.validation()).get("gap");
        try {
            r = new Trainer().fit(straight, data, config, out);
        } finally {
            close(straight);
        }
        assertTrue(r.validation().get("gap") < 0.8 * before, "the generator moved its fakes toward the data: " + before + " -> " + r.validation());
        String firstRun = log();
        assertTrue(firstRun.matches("(?s).*epoch 4/4  train discriminator/acc \\d+\\.\\d%  d_loss \\d\\.\\d{4}  g_loss \\d\\.\\d{4}  val gap \\d\\.\\d{4}.*"),
                firstRun);

        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(whole).tensors();
        for (String name : List.of("generator/fc.weight", "discriminator/fc.bias", "optim/generator/fc.weight.adam_m",
                "optim/discriminator/fc.bias.adam_v", "best/generator/fc.weight")) {
            assertTrue(tensors.containsKey(name), name + " in " + tensors.keySet());
        }
        Map<String, String> meta = SafeTensors.readMetadata(whole);
        assertEquals("generator=TinyGenerator,discriminator=TinyDiscriminator", meta.get("models"));
        assertEquals("0.00625", meta.get("generator/learning_rate"), "0.05 halved after each of the 3 epochs before the last");
        assertEquals(0.0025, Double.parseDouble(meta.get("discriminator/learning_rate")), 1e-15, "the schedule scales every optimizer alike");
        assertEquals("24", meta.get("generator/optimizer_steps"), "6 steps in each of 4 epochs");
        assertTrue(meta.containsKey("discriminator/random_state"));
        List<String> csv = Files.readAllLines(dir.resolve("whole.metrics.csv"));
        assertEquals("epoch,step,lr,train_discriminator/accuracy,train_d_loss,train_g_loss,val_gap,seconds", csv.get(0));

        // The same run broken off within epoch 3 (batches of 16, 6 per epoch), then resumed: bit for bit the same.
        CustomTraining broken = gan(16);
        try {
            new Trainer().fit(broken, data, new TrainConfig(2, 16, 3, cut, null).withSchedule(new StepDecay(1, 0.5)).withClipping(1, 0)
                    .withEarlyStopping(new EarlyStopping(10, 0)).withMonitor(Monitor.parse("gap")), out);
        } finally {
            close(broken);
        }
        assertEquals("12", SafeTensors.readMetadata(cut).get("step"));
        log.reset();
        CustomTraining resumed = gan(16);
        try {
            new Trainer().fit(resumed, data, new TrainConfig(4, 16, 3, cut, cut).withSchedule(new StepDecay(1, 0.5)).withClipping(1, 0)
                    .withEarlyStopping(new EarlyStopping(10, 0)).withMonitor(Monitor.parse("gap")), out);
        } finally {
            close(resumed);
        }
        assertTrue(log().startsWith("resumed from " + cut + " after epoch 2, step 12; lr 0.025"), log());
        Map<String, SafeTensors.Tensor> again = SafeTensors.read(cut).tensors();
        assertEquals(tensors.keySet(), again.keySet());
        for (String name : tensors.keySet()) assertArrayEquals(tensors.get(name).data(), again.get(name).data(), name);
    }

    @Test
    void resumingWithinAnEpochOfATwoModelRunIsExactToo() throws Exception {
        Splits data = points();
        Path whole = dir.resolve("whole.safetensors"), cut = dir.resolve("cut.safetensors");
        CustomTraining straight = gan(16);
        try {
            new Trainer().fit(straight, data, new TrainConfig(2, 16, 3, whole, null), out);
        } finally {
            close(straight);
        }
        CustomTraining broken = gan(16);
        try {
            ((TinyGan.Discriminator) broken.models().get(1).model()).nanGradientOnCall = 19; // its update of step 10
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer().fit(broken, data, new TrainConfig(2, 16, 3, cut, null).withSaveEvery(4), out));
            assertEquals("gradient of discriminator/fc.weight became NaN at epoch 2, step 10 (batch 4 of 6); training stopped; " + cut
                    + " still holds step 8 (batch 2 of epoch 2); try a lower learning rate or gradient clipping", e.getMessage());
        } finally {
            close(broken);
        }
        log.reset();
        CustomTraining resumed = gan(16);
        try {
            new Trainer().fit(resumed, data, new TrainConfig(2, 16, 3, cut, cut), out);
        } finally {
            close(resumed);
        }
        assertTrue(log().startsWith("resumed from " + cut + " after epoch 1 and 32 of 96 samples of epoch 2, step 8"), log());
        Map<String, SafeTensors.Tensor> a = SafeTensors.read(whole).tensors(), b = SafeTensors.read(cut).tensors();
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
        assertEquals(Files.readAllLines(dir.resolve("whole.metrics.csv")).get(2).replaceAll(",[^,]*$", ""),
                Files.readAllLines(dir.resolve("cut.metrics.csv")).get(2).replaceAll(",[^,]*$", ""),
                "epoch 2's figures, half of them run before the break, are those of the uninterrupted run");
    }

    @Test
    void aStepMayOnlyUpdateTheRunsOwnOptimizers() {
        Splits data = SyntheticData.splits(64, 1);
        try (SoftmaxRegression m = new SoftmaxRegression(32, SyntheticData.INPUTS, 2)) {
            m.initParams(1);
            Optimizer mine = Optimizers.create("sgd", m.params(), 0.1), stranger = Optimizers.create("sgd", m.params(), 0.1);
            TrainingStep step = (batch, context) -> {
                m.forward(batch);
                m.lossAndGrad(batch);
                m.backward();
                context.update(stranger);
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer().fit(CustomTraining.of(step, new TrainedModel("m", m, mine)), data, new TrainConfig(1, 32, 1, null, null), out));
            assertTrue(e.getMessage().startsWith("the optimizer sgd(lr=0.1"), e.getMessage());
            assertTrue(e.getMessage().endsWith("is none of the run's models' [m]"), e.getMessage());
            assertEquals("two of the run's models are named 'm'", assertThrows(IllegalArgumentException.class,
                    () -> CustomTraining.of(step, new TrainedModel("m", m, mine), new TrainedModel("m", m, stranger))).getMessage());
        }
    }

    @Test
    void theStepsOwnRandomSourceFollowsTheSeedAndTheStep() {
        RunningFigures figures = new RunningFigures();
        try (SoftmaxRegression m = new SoftmaxRegression(1, 2, 2)) {
            RunModels models = new RunModels(List.of(new TrainedModel("m", m, Optimizers.create("sgd", m.params(), 0.1))));
            StepContext a = new StepContext(models, figures, (what, where, advice) -> new TrainingDivergedException(what), 0, 0);
            float[] first = new float[10001], second = new float[10001];
            a.begin(5, 1, 1, TrainingLoop.contextSeed(42, 5));
            a.gaussian(first, first.length);
            a.begin(5, 1, 1, TrainingLoop.contextSeed(42, 5));
            a.gaussian(second, second.length);
            assertArrayEquals(first, second);
            double mean = 0, square = 0;
            for (float v : first) {
                mean += v / first.length;
                square += v * v / first.length;
            }
            assertEquals(0, mean, 0.05);
            assertEquals(1, square, 0.05);
            a.begin(6, 1, 1, TrainingLoop.contextSeed(42, 6));
            a.gaussian(second, second.length);
            assertTrue(first[0] != second[0] && first[1] != second[1], "another step draws otherwise");
        }
    }

    @Test
    void aFigureNamedBadlyOrNotFiniteStopsTheRunInOneLine() {
        Splits data = SyntheticData.splits(64, 1);
        try (SoftmaxRegression m = new SoftmaxRegression(32, SyntheticData.INPUTS, 2)) {
            m.initParams(1);
            Optimizer sgd = Optimizers.create("sgd", m.params(), 0.1);
            TrainingStep step = (batch, context) -> context.report("ratio", context.step() == 2 ? Double.POSITIVE_INFINITY : 1);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer().fit(CustomTraining.of(step, new TrainedModel("m", m, sgd)), data, new TrainConfig(1, 32, 1, null, null), out));
            assertEquals("ratio became Infinity at epoch 1, step 2 (batch 2 of 2); training stopped; no checkpoint was saved; try a lower learning rate",
                    e.getMessage());
            TrainingStep spaced = (batch, context) -> context.report("my figure", 1);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer().fit(CustomTraining.of(spaced, new TrainedModel("m", m, sgd)),
                    data, new TrainConfig(1, 32, 1, null, null), out)).getMessage().startsWith("figure 'my figure': a figure's name is letters"));
        }
    }

    @Test
    void aTwoModelStepAllocatesNothing() throws Exception {
        // Batch 1, so that an epoch is 40,000 steps: one object per step (16+ bytes) would add at least
        // 1.2 MB over two epochs, while an epoch's log lines and evaluations take a few KB.
        SplittableRandom random = new SplittableRandom(2);
        float[] x = new float[40_000 * TinyGan.DIM];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        Dataset points = Dataset.ofInputs("points", List.of(new Dataset.Input(null, x, TinyGan.DIM)));
        Splits data = new Splits(points, points.subset(0, 8), points.subset(8, 16));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        trainGan(data, 2); // warm-up
        long before = mx.getCurrentThreadAllocatedBytes();
        trainGan(data, 1);
        long oneEpoch = mx.getCurrentThreadAllocatedBytes() - before;
        before = mx.getCurrentThreadAllocatedBytes();
        trainGan(data, 3);
        long twoMoreEpochs = mx.getCurrentThreadAllocatedBytes() - before - oneEpoch;
        assertTrue(twoMoreEpochs < 400_000, "two more epochs (80,000 steps) allocated " + twoMoreEpochs + " bytes");
    }

    private void trainGan(Splits data, int epochs) throws Exception {
        log.reset();
        CustomTraining run = gan(1);
        try {
            new Trainer().fit(run, data, new TrainConfig(epochs, 1, 5, null, null).withClipping(1, 0.5), out);
        } finally {
            close(run);
        }
    }
}
