package kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kiln.runtime.data.Splits;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static SoftmaxRegression model(long initSeed) {
        SoftmaxRegression m = new SoftmaxRegression(32, SyntheticData.INPUTS, 2);
        m.initParams(initSeed);
        return m;
    }

    @Test
    void learnsASeparableProblem() throws Exception {
        Splits data = SyntheticData.splits(2000, 1);
        try (SoftmaxRegression m = model(3)) {
            Optimizer sgd = Optimizers.create("sgd", m.params(), 0.5, 0);
            TrainResult r = new Trainer().fit(m, sgd, data, new TrainConfig(5, 32, 7, null, null), out);
            assertEquals(5, r.epoch());
            assertTrue(r.testAccuracy() > 0.95, "test accuracy " + r.testAccuracy());
            assertTrue(r.validationAccuracy() > 0.95, "validation accuracy " + r.validationAccuracy());
            assertTrue(r.trainAccuracy() > 0.9, "train accuracy " + r.trainAccuracy());
            assertTrue(r.testLoss() < r.trainLoss() * 2 && r.testLoss() < 0.3, "test loss " + r.testLoss());
            assertTrue(r.samplesPerSecond() > 0 && r.seconds() > 0);
            assertEquals(5 * 63, sgd.steps());
        }
        String log = log();
        assertTrue(log.contains("epoch 1/5  [#"), log); // a progress line (plain, since this is not a terminal)
        assertTrue(log.matches("(?s).*epoch 5/5  train loss \\d\\.\\d{4}  acc \\d+\\.\\d%  val loss \\d\\.\\d{4}  acc \\d+\\.\\d%  .*"), log);
        assertTrue(log.contains("test  loss "), log);
        assertFalse(log.contains("\r"));
    }

    @Test
    void resumingContinuesExactlyAsAnUninterruptedRun() throws Exception {
        Splits data = SyntheticData.splits(500, 2);
        float[] uninterrupted;
        try (SoftmaxRegression m = model(3)) {
            Optimizer opt = Optimizers.create("momentum", m.params(), 0.1, 1e-4);
            new Trainer().fit(m, opt, data, new TrainConfig(4, 32, 11, null, null), out);
            uninterrupted = m.param("linear.weight").value.clone();
        }
        Path ckpt = dir.resolve("run.safetensors");
        try (SoftmaxRegression m = model(3)) {
            Optimizer opt = Optimizers.create("momentum", m.params(), 0.1, 1e-4);
            new Trainer().fit(m, opt, data, new TrainConfig(2, 32, 11, ckpt, null), out);
        }
        assertEquals("2", SafeTensors.read(ckpt).metadata().get("epoch"));
        log.reset();
        try (SoftmaxRegression m = model(99)) { // other initial weights: the checkpoint must replace them
            Optimizer opt = Optimizers.create("momentum", m.params(), 0.1, 1e-4);
            // A different seed here is ignored: the run keeps the checkpoint's, so it shuffles as before.
            TrainResult r = new Trainer().fit(m, opt, data, new TrainConfig(4, 32, 12345, ckpt, ckpt), out);
            assertEquals(4, r.epoch());
            assertArrayEquals(uninterrupted, m.param("linear.weight").value);
            assertEquals(4 * 16, opt.steps());
        }
        String log = log();
        assertTrue(log.startsWith("resumed from " + ckpt + " after epoch 2, step 32; lr 0.1"), log);
        assertTrue(log.contains("epoch 3/4  train") && log.contains("epoch 4/4  train"), log);
        assertFalse(log.contains("epoch 1/4") || log.contains("epoch 2/4"), log);
        assertEquals("4", SafeTensors.read(ckpt).metadata().get("epoch"));
    }

    @Test
    void aNanLossStopsWithOneLineAndKeepsTheLastCheckpoint() throws Exception {
        Splits data = SyntheticData.splits(2000, 1);
        Path ckpt = dir.resolve("ckpt.safetensors");
        try (SoftmaxRegression m = model(3)) {
            m.nanOnCall = 63 + 5; // 63 batches per epoch: the 5th batch of epoch 2
            Optimizer sgd = Optimizers.create("sgd", m.params(), 0.5, 0);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer().fit(m, sgd, data, new TrainConfig(5, 32, 7, ckpt, null), out));
            assertEquals("loss became NaN at epoch 2, step 68 (batch 5 of 63); training stopped; " + ckpt
                    + " still holds epoch 1; try a lower learning rate", e.getMessage());
        }
        try (SoftmaxRegression m = model(3)) {
            TrainingState state = Checkpoint.load(ckpt, m, Optimizers.create("sgd", m.params(), 0.5, 0));
            assertEquals(new TrainingState(1, 63, 7), state);
        }
    }

    @Test
    void trainingStepsAllocateNothing() throws Exception {
        // Batch 1, so that each epoch is 60,000 steps: one object per step (16+ bytes) would add at
        // least 1.9 MB over two epochs, while an epoch's logging and evaluation take about 70 KB.
        Splits data = SyntheticData.splits(60_000, 3);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        run(data, 2); // warm-up
        long before = mx.getCurrentThreadAllocatedBytes();
        run(data, 1);
        long oneEpoch = mx.getCurrentThreadAllocatedBytes() - before;
        before = mx.getCurrentThreadAllocatedBytes();
        run(data, 3);
        long threeEpochs = mx.getCurrentThreadAllocatedBytes() - before;
        long twoMoreEpochs = threeEpochs - oneEpoch;
        assertTrue(twoMoreEpochs < 600_000, "two more epochs (120,000 steps) allocated " + twoMoreEpochs + " bytes");
    }

    private void run(Splits data, int epochs) throws Exception {
        log.reset();
        try (SoftmaxRegression m = new SoftmaxRegression(1, SyntheticData.INPUTS, 2)) {
            m.initParams(1);
            new Trainer().fit(m, Optimizers.create("adam", m.params(), 1e-3, 0), data, new TrainConfig(epochs, 1, 5, null, null), out);
        }
    }

    /** Targets y = x0 - 2 x1 + 0.5 for the noisy regression. */
    private static Splits linear() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        kiln.runtime.data.Dataset[] parts = new kiln.runtime.data.Dataset[3];
        for (int p = 0; p < 3; p++) {
            int n = p == 0 ? 200 : 50;
            float[] x = new float[2 * n], y = new float[n];
            for (int i = 0; i < n; i++) {
                x[2 * i] = (float) random.nextGaussian();
                x[2 * i + 1] = (float) random.nextGaussian();
                y[i] = x[2 * i] - 2 * x[2 * i + 1] + 0.5f;
            }
            parts[p] = kiln.runtime.data.Dataset.ofTargets("linear " + p, x, 2, y, 1);
        }
        return new Splits(parts[0], parts[1], parts[2]);
    }

    @Test
    void aModelThatDrawsNoiseResumesWithTheSameDrawsAndParameters() throws Exception {
        Splits data = linear();
        Path ckpt = dir.resolve("noisy.safetensors");
        float[] straight;
        java.util.List<Double> straightDraws;
        try (NoisyRegression m = new NoisyRegression(16, 2)) {
            m.initParams(2);
            new Trainer().fit(m, Optimizers.create("momentum", m.params(), 0.05), data, new TrainConfig(2, 16, 6, null, null), out);
            straight = m.param("fc.weight").value.clone();
            straightDraws = m.draws;
        }
        try (NoisyRegression m = new NoisyRegression(16, 2)) {
            m.initParams(2);
            new Trainer().fit(m, Optimizers.create("momentum", m.params(), 0.05), data, new TrainConfig(1, 16, 6, ckpt, null), out);
            assertEquals(Long.toString(m.randomState()), SafeTensors.readMetadata(ckpt).get(Checkpoint.RANDOM_STATE), "the stream is saved");
        }
        try (NoisyRegression m = new NoisyRegression(16, 2)) {
            m.initParams(99);
            new Trainer().fit(m, Optimizers.create("momentum", m.params(), 0.05), data, new TrainConfig(2, 16, 6, ckpt, ckpt), out);
            assertArrayEquals(straight, m.param("fc.weight").value);
            int perEpoch = 13; // 200 samples in batches of 16
            assertEquals(straightDraws.subList(perEpoch, 2 * perEpoch), m.draws, "epoch 2 drew the same noise, step by step");
            assertTrue(m.draws.stream().distinct().count() == perEpoch, "every step draws anew");
        }
    }
}
