package kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kiln.dsl.Init;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model state beyond the parameters: non-trainable buffers (batch-norm running statistics) go
 * into checkpoints and are reset by initParams, and evaluation runs in inference mode while
 * training runs in training mode.
 */
class ModelStateTest {
    /** logits = x W^T; a "running mean" buffer that training forwards move; records the modes it ran in. */
    static final class StatefulModel extends CompiledModel {
        final Param weight;
        final Param runningMean;
        private final float[] logits;
        int trainingForwards, inferenceForwards;

        StatefulModel(int maxBatch) {
            super(maxBatch, 1);
            weight = param("fc.weight", false, Init.XAVIER_UNIFORM, 2, 2, 2, 2);
            runningMean = buffer("bn.running_mean", 0.5f, 2);
            logits = new float[maxBatch * 2];
            input("input", kiln.dsl.InputKind.FEATURES, 2);
            lossTerm("loss", 1);
        }

        @Override public String name() { return "StatefulModel"; }
        @Override public int outputSize() { return 2; }
        @Override public TargetKind targetKind() { return TargetKind.CLASS_INDEX; }
        @Override public int targetSize() { return 1; }

        @Override
        protected void forwardPass(int n, boolean updateStatistics) {
            float[] x = inputArray(0);
            if (isTraining()) {
                trainingForwards++;
                runningMean.value[0] += 1f;
            } else {
                inferenceForwards++;
            }
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < 2; j++) logits[r * 2 + j] = x[r * 2] * weight.value[j * 2] + x[r * 2 + 1] * weight.value[j * 2 + 1];
            }
        }

        @Override
        protected float lossPass(Batch batch, boolean seedGradients) {
            if (seedGradients) java.util.Arrays.fill(weight.grad, 0.01f);
            return 1f;
        }

        @Override protected void zeroUnseededOutputGradients(int n) { }
        @Override protected void zeroSeeds() { }
        @Override protected void backwardPass(int n) { }

        long state() {
            return randomState();
        }

        @Override
        protected float[] predictions(int n) {
            return logits;
        }
    }

    private static Splits splits() {
        float[] x = new float[16 * 2];
        int[] y = new int[16];
        for (int i = 0; i < 16; i++) {
            x[2 * i] = i % 2;
            y[i] = i % 2;
        }
        Dataset d = Dataset.ofLabels("toy", x, 2, y);
        return new Splits(d.subset(0, 8), d.subset(8, 12), d.subset(12, 16));
    }

    @Test
    void buffersAreSavedLoadedAndResetButNeverTrained(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.safetensors");
        try (StatefulModel m = new StatefulModel(4)) {
            m.initParams(1);
            assertEquals(0.5f, m.runningMean.value[1]);
            assertEquals(1, m.buffers().size());
            assertFalse(m.params().contains(m.runningMean), "a buffer is not a parameter: optimizers never see it");
            m.runningMean.value[0] = 3f;
            Sgd sgd = new Sgd(m.params(), 0.1, 0, 0, false);
            Checkpoint.save(file, m, sgd, new TrainingState(1, 10, 1));
            assertArrayEquals(new int[] {2}, SafeTensors.read(file).tensors().get("bn.running_mean").shape());

            m.initParams(2);
            assertArrayEquals(new float[] {0.5f, 0.5f}, m.runningMean.value, "initParams resets buffers");
            Checkpoint.load(file, m, sgd);
            assertArrayEquals(new float[] {3f, 0.5f}, m.runningMean.value);
        }
    }

    @Test
    void checkpointWithoutTheBufferIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.safetensors");
        try (StatefulModel m = new StatefulModel(4)) {
            m.initParams(1);
            SafeTensors.write(file, java.util.Map.of("fc.weight", new SafeTensors.Tensor(new int[] {2, 2}, new float[4])),
                    java.util.Map.of("format", Checkpoint.FORMAT, "model", m.name(), "epoch", "1", "step", "1", "seed", "1",
                            "optimizer", "sgd", "optimizer_steps", "0", "learning_rate", "0.1"));
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file, m, new Sgd(m.params(), 0.1, 0, 0, false)));
            assertTrue(e.getMessage().contains("bn.running_mean"), e.getMessage());
        }
    }

    @Test
    void trainingStepsRunInTrainingModeAndEvaluationInInferenceMode() throws Exception {
        try (StatefulModel m = new StatefulModel(4)) {
            m.initParams(1);
            m.setTraining(false); // fit switches to training itself
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            new Trainer().fit(m, new Sgd(m.params(), 0.1, 0, 0, false), splits(), new TrainConfig(2, 4, 1, null, null), quiet);
            assertTrue(m.trainingForwards >= 4, "2 epochs of 2 training batches, " + m.trainingForwards);
            assertEquals(2 * 1 + 1, m.inferenceForwards, "one validation batch per epoch and one test batch");
            assertTrue(m.isTraining(), "evaluation restores the mode it found");

            m.setTraining(false);
            Metrics.evaluate(m, splits().test(), new Batch(4, 2, 1));
            assertFalse(m.isTraining());
        }
    }

    @Test
    void seedRandomRestartsTheStream() {
        try (StatefulModel m = new StatefulModel(1)) {
            m.seedRandom(9);
            long a = m.state();
            m.initParams(9);
            assertEquals(a, m.state(), "initParams(seed) seeds the stream as seedRandom(seed)");
        }
    }
}
