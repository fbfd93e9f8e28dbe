package kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import kiln.runtime.Param;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private Path file;
    private float[] savedWeight;

    /** Saves a model after three Adam steps, so that the optimizer state is not all zeros. */
    @BeforeEach
    void save() throws IOException {
        file = dir.resolve("m.safetensors");
        try (SoftmaxRegression m = new SoftmaxRegression(4, 3, 2)) {
            m.initParams(1);
            Optimizer adam = Optimizers.create("adam", m.params(), 0.01, 0);
            for (int s = 0; s < 3; s++) {
                for (Param p : m.params()) Arrays.fill(p.grad, 0.1f * (s + 1));
                adam.step();
            }
            adam.setLearningRate(0.005);
            m.setRandomState(0x1234_5678_9ABCL);
            savedWeight = m.param("linear.weight").value.clone();
            Checkpoint.save(file, m, adam, new TrainingState(3, 120, -42));
        }
    }

    @Test
    void savesParamsOptimizerStateAndMetadata() throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        assertArrayEquals(savedWeight, c.tensors().get("linear.weight").data());
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("linear.weight").shape());
        assertTrue(c.tensors().keySet().stream().anyMatch(k -> k.startsWith("optim/")), c.tensors().keySet().toString());
        Map<String, String> meta = c.metadata();
        assertEquals("SoftmaxRegression", meta.get("model"));
        assertEquals("3", meta.get("epoch"));
        assertEquals("3", meta.get("optimizer_steps"));
        assertEquals("0.005", meta.get("learning_rate"));
        assertTrue(meta.get("optimizer").startsWith("adam"), meta.get("optimizer"));
    }

    @Test
    void loadRestoresEverything() throws IOException {
        try (SoftmaxRegression m = new SoftmaxRegression(4, 3, 2)) {
            m.initParams(2);
            Optimizer adam = Optimizers.create("adam", m.params(), 0.01, 0);
            assertEquals(new TrainingState(3, 120, -42), Checkpoint.load(file, m, adam));
            assertArrayEquals(savedWeight, m.param("linear.weight").value);
            assertEquals(3, adam.steps());
            assertEquals(0.005, adam.learningRate());
            assertEquals(0x1234_5678_9ABCL, m.randomState(), "the model's random stream goes on where it stood");
            Map<String, SafeTensors.Tensor> saved = SafeTensors.read(file).tensors();
            Map<String, float[]> state = adam.state();
            assertTrue(!state.isEmpty());
            for (Map.Entry<String, float[]> e : state.entrySet()) {
                assertArrayEquals(saved.get("optim/" + e.getKey()).data(), e.getValue(), e.getKey());
            }
        }
    }

    @Test
    void shapeMismatchNamesTheParameterAndChangesNothing() {
        try (SoftmaxRegression m = new SoftmaxRegression(4, 5, 2)) {
            m.initParams(2);
            float[] before = m.param("linear.weight").value.clone();
            IOException e = assertThrows(IOException.class,
                    () -> Checkpoint.load(file, m, Optimizers.create("adam", m.params(), 0.01, 0)));
            assertEquals(file + ": parameter linear.weight has shape [2, 3] but SoftmaxRegression expects [2, 5]", e.getMessage());
            assertArrayEquals(before, m.param("linear.weight").value);
        }
    }

    @Test
    void otherOptimizerIsRefusedBeforeAnythingChanges() {
        try (SoftmaxRegression m = new SoftmaxRegression(4, 3, 2)) {
            m.initParams(2);
            float[] before = m.param("linear.weight").value.clone();
            Optimizer sgd = Optimizers.create("sgd", m.params(), 0.01, 0);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file, m, sgd));
            assertTrue(e.getMessage().startsWith(file + ": optimizer state saved by adam"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
            assertArrayEquals(before, m.param("linear.weight").value);
            assertEquals(0, sgd.steps());
        }
    }

    @Test
    void truncatedFileIsAOneLineError() throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length - 10));
        try (SoftmaxRegression m = new SoftmaxRegression(4, 3, 2)) {
            IOException e = assertThrows(IOException.class,
                    () -> Checkpoint.load(file, m, Optimizers.create("adam", m.params(), 0.01, 0)));
            assertTrue(e.getMessage().startsWith(file + ": truncated: tensor '"), e.getMessage());
        }
    }

    @Test
    void foreignSafetensorsFileIsRefused() throws IOException {
        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, Map.of("linear.weight", new SafeTensors.Tensor(new int[] {2, 3}, new float[6])), Map.of());
        try (SoftmaxRegression m = new SoftmaxRegression(4, 3, 2)) {
            IOException e = assertThrows(IOException.class,
                    () -> Checkpoint.load(other, m, Optimizers.create("adam", m.params(), 0.01, 0)));
            assertEquals(other + ": not a Kiln checkpoint (metadata format is null, expected kiln-checkpoint-1)", e.getMessage());
        }
    }

    @Test
    void saveIntoAMissingDirectorySaysSo() {
        Path bad = dir.resolve("no/such/dir/m.safetensors");
        try (SoftmaxRegression m = new SoftmaxRegression(4, 3, 2)) {
            IOException e = assertThrows(IOException.class,
                    () -> Checkpoint.save(bad, m, Optimizers.create("sgd", m.params(), 0.01, 0), new TrainingState(1, 1, 1)));
            assertTrue(e.getMessage().startsWith(bad + ": cannot save checkpoint: no such file or directory"), e.getMessage());
        }
    }

    @Test
    void aRunOfSeveralModelsKeepsEachUnderItsNameAndRestoresAllOrNothing() throws IOException {
        Path two = dir.resolve("two.safetensors");
        try (SoftmaxRegression a = new SoftmaxRegression(4, 3, 2); SoftmaxRegression b = new SoftmaxRegression(4, 3, 2)) {
            a.initParams(1);
            b.initParams(2);
            Optimizer adam = Optimizers.create("adam", a.params(), 0.01), sgd = Optimizers.create("momentum", b.params(), 0.1);
            for (Param p : a.params()) Arrays.fill(p.grad, 0.5f);
            for (Param p : b.params()) Arrays.fill(p.grad, 0.25f);
            adam.step();
            sgd.step();
            b.setRandomState(77);
            Checkpoint.save(two, List.of(new TrainedModel("left", a, adam), new TrainedModel("right", b, sgd)), new TrainingState(1, 1, 5),
                    Map.of(), Map.of(), Map.of());
        }
        SafeTensors.Contents c = SafeTensors.read(two);
        assertEquals(java.util.Set.of("left/linear.weight", "left/linear.bias", "right/linear.weight", "right/linear.bias",
                "optim/left/linear.weight.adam_m", "optim/left/linear.weight.adam_v", "optim/left/linear.bias.adam_m", "optim/left/linear.bias.adam_v",
                "optim/right/linear.weight.momentum", "optim/right/linear.bias.momentum"), c.tensors().keySet());
        assertEquals("left=SoftmaxRegression,right=SoftmaxRegression", c.metadata().get("models"));
        assertEquals("77", c.metadata().get("right/random_state"));

        try (SoftmaxRegression a = new SoftmaxRegression(4, 3, 2); SoftmaxRegression b = new SoftmaxRegression(4, 3, 2)) {
            Optimizer adam = Optimizers.create("adam", a.params(), 0.01), wrong = Optimizers.create("adam", b.params(), 0.1);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.restore(two,
                    List.of(new TrainedModel("left", a, adam), new TrainedModel("right", b, wrong))));
            assertTrue(e.getMessage().startsWith(two + ": optimizer state saved by sgd(lr=0.1, momentum=0.9"), e.getMessage());
            assertTrue(e.getMessage().contains(" of right: "), e.getMessage());
            assertEquals(0, adam.steps(), "the first optimizer's state was put back");
            assertTrue(adam.state().values().stream().allMatch(v -> v[0] == 0), "the first optimizer's moments were put back");

            e = assertThrows(IOException.class, () -> Checkpoint.restore(two, List.of(new TrainedModel("left", a, adam),
                    new TrainedModel("other", b, Optimizers.create("momentum", b.params(), 0.1)))));
            assertEquals(two + ": saved from models left=SoftmaxRegression,right=SoftmaxRegression, not left=SoftmaxRegression,other=SoftmaxRegression",
                    e.getMessage());

            Optimizer momentum = Optimizers.create("momentum", b.params(), 0.1);
            TrainingState state = Checkpoint.restore(two, List.of(new TrainedModel("left", a, adam), new TrainedModel("right", b, momentum))).state();
            assertEquals(new TrainingState(1, 1, 5), state);
            assertEquals(1, momentum.steps());
            assertEquals(77, b.randomState());
        }
    }
}
