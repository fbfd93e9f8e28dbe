package kiln.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import org.junit.jupiter.api.Test;

/**
 * The contract on {@link CompiledModel}, without reflection: nodes read by name, input gradients
 * by name, a backward seeded by a caller's gradient (a generator trained through a
 * discriminator, checked against finite differences of the discriminator's loss), zero-gradient
 * versus accumulate, outputs seeded by losses and callers together, frozen parameters, and noise
 * read and replayed.
 */
class ModelContractTest {
    private static final String MODELS = """
            package contract;
            import kiln.dsl.*;
            class Models {
                @Model
                static class Generator {
                    @Input(3) Layer z;
                    @Dense(units = 4, activation = Activation.TANH, init = Init.XAVIER_NORMAL) Layer g1;
                    @Dense(units = 5, activation = Activation.TANH, init = Init.XAVIER_NORMAL) @Output Layer fake;
                }

                @Model
                static class Discriminator {
                    @Input(5) Layer image;
                    @Dense(units = 4, init = Init.XAVIER_NORMAL) Layer d1;
                    @LeakyRelu(slope = 0.2) Layer a1;
                    @Dense(units = 1, init = Init.XAVIER_NORMAL) Layer logit;
                    @Loss(LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS) Layer loss;
                }

                @Model
                static class Seeded {
                    @Input(4) Layer x;
                    @Dense(units = 3, init = Init.XAVIER_NORMAL) Layer pre;
                    @Activate(Activation.TANH) Layer h;
                    @Dense(units = 2, init = Init.XAVIER_NORMAL) @Output Layer y;
                    @Dropout(0.5) Layer drop;
                    @Loss(LossKind.MSE) Layer loss;
                    @Dense(units = 2, from = "h") @Params(frozen = true, lrScale = 2) Layer probe;
                    @Loss(value = LossKind.L2_ACTIVITY, from = "probe") Layer probeSize;
                }

                @Model
                static class Tokens {
                    @Input(4) Layer ids;
                    @Embedding(vocab = 6, dim = 3) Layer embed;
                    @Flatten Layer flat;
                    @Dense(units = 2) Layer out;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                }
            }
            """;
    private static final Compilation COMPILED = ModelCompiler.compile("contract.Models", MODELS);

    private static CompiledModel model(String name, int maxBatch) {
        CompiledModel m = ModelCompiler.instantiate(COMPILED, "contract." + name + "Model", maxBatch, 1);
        m.initParams(3);
        return m;
    }

    @Test
    void aGeneratorTrainsThroughTheDiscriminatorsInputGradient() {
        int n = 4;
        try (CompiledModel g = model("Generator", n); CompiledModel d = model("Discriminator", n)) {
            Batch noise = Batch.forModel(g, n);
            SplittableRandom rnd = new SplittableRandom(5);
            for (int i = 0; i < n * 3; i++) noise.x[i] = (float) rnd.nextDouble(-1, 1);
            noise.size = n;
            Batch fakes = Batch.forModel(d, n);
            java.util.Arrays.fill(fakes.targets, 1f); // the generator wants its fakes called real
            fakes.size = n;

            generatorStep(g, d, noise, fakes);
            for (Param p : g.params()) {
                float[] analytic = p.grad.clone();
                for (int i = 0; i < p.size(); i++) {
                    float saved = p.value[i];
                    double h = 1e-2;
                    p.value[i] = (float) (saved + h);
                    double up = discriminatorLoss(g, d, noise, fakes);
                    p.value[i] = (float) (saved - h);
                    double down = discriminatorLoss(g, d, noise, fakes);
                    p.value[i] = saved;
                    double fd = (up - down) / (2 * h);
                    assertEquals(fd, analytic[i], 2e-3 + 1e-2 * Math.abs(fd), p.name + "[" + i + "]");
                }
            }
        }
    }

    private static void generatorStep(CompiledModel g, CompiledModel d, Batch noise, Batch fakes) {
        g.forward(noise);
        System.arraycopy(g.activation("fake"), 0, fakes.x, 0, noise.size * 5);
        d.forward(fakes);
        d.lossAndGrad(fakes);
        d.setInputGradients(true);
        d.backward();
        g.zeroOutputGradients();
        System.arraycopy(d.inputGradient("image"), 0, g.outputGradient("fake"), 0, noise.size * 5);
        g.backward();
    }

    private static double discriminatorLoss(CompiledModel g, CompiledModel d, Batch noise, Batch fakes) {
        g.forward(noise);
        System.arraycopy(g.activation("fake"), 0, fakes.x, 0, noise.size * 5);
        d.forward(fakes);
        return d.loss(fakes);
    }

    @Test
    void nodesAreReadByName() {
        try (CompiledModel m = model("Seeded", 2)) {
            Batch b = batch(m, 2);
            m.forward(b);
            float[] h = m.activation("h");
            Param w = m.param("pre.weight"), bias = m.param("pre.bias");
            for (int r = 0; r < 2; r++) {
                for (int j = 0; j < 3; j++) {
                    float z = bias.value[j];
                    for (int i = 0; i < 4; i++) z += w.value[j * 4 + i] * b.x[r * 4 + i];
                    assertEquals(Math.tanh(z), h[r * 3 + j], 1e-5, "h[" + r + "," + j + "]");
                }
            }
            assertArrayEquals(new int[] {3}, m.shapeOf("h"));
            assertEquals(List.of("x", "pre", "h", "y", "drop", "probe"), m.nodeNames());
            assertEquals(List.of("y"), m.outputNames());
            assertEquals(List.of("loss", "probeSize"), m.lossTermNames());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.activation("nope"));
            assertTrue(e.getMessage().startsWith("Seeded has no node 'nope'"), e.getMessage());
        }
    }

    @Test
    void aFusedNodeSaysWhyItCannotBeRead() {
        String fused = """
                package contract;
                import kiln.dsl.*;
                @Model
                class Fused {
                    @Input(4) Layer x;
                    @Dense(units = 3) Layer pre;
                    @Activate(Activation.RELU) Layer h;
                    @Loss(LossKind.MSE) Layer loss;
                }
                """;
        try (CompiledModel m = ModelCompiler.load("contract.Fused", fused, 2, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.activation("pre"));
            assertEquals("Fused node 'pre' is not stored: it is computed inside the pass of 'h' (declare it an output to keep it)",
                    e.getMessage());
        }
    }

    @Test
    void callerGradientsAddToTheLossSeedsAndBackwardIsLinearInThem() {
        try (CompiledModel m = model("Seeded", 3)) {
            Batch b = batch(m, 3);
            m.seedRandom(1);
            m.forward(b);
            m.lossAndGrad(b);
            m.backward();
            float[] fromLoss = m.param("pre.weight").grad.clone();

            m.zeroOutputGradients();
            float[] external = m.outputGradient("y");
            for (int i = 0; i < 3 * 2; i++) external[i] = 0.1f * (i - 2);
            float[] seed = external.clone();
            m.backward();
            float[] fromCaller = m.param("pre.weight").grad.clone();

            m.lossAndGrad(b);
            for (int i = 0; i < 3 * 2; i++) m.outputGradient("y")[i] += seed[i];
            m.backward();
            float[] both = m.param("pre.weight").grad;
            for (int i = 0; i < both.length; i++) assertEquals(fromLoss[i] + fromCaller[i], both[i], 1e-6, "pre.weight[" + i + "]");
        }
    }

    @Test
    void accumulatingSumsBackwardPassesUntilZeroGrad() {
        try (CompiledModel m = model("Seeded", 3)) {
            Batch b = batch(m, 3);
            m.seedRandom(1);
            m.forward(b);
            m.lossAndGrad(b);
            m.backward();
            float[] once = m.param("y.weight").grad.clone();
            m.setAccumulateGradients(true);
            m.lossAndGrad(b);
            m.backward();
            float[] twice = m.param("y.weight").grad;
            for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-6);
            m.zeroGrad();
            for (float g : m.param("y.weight").grad) assertEquals(0f, g);
            m.lossAndGrad(b);
            m.backward();
            assertArrayEquals(once, m.param("y.weight").grad, 1e-7f);
        }
    }

    @Test
    void frozenParametersKeepTheirSettingsAndStayOutOfTraining() {
        try (CompiledModel m = model("Seeded", 2)) {
            Param probe = m.param("probe.weight");
            assertTrue(probe.frozen());
            assertEquals(2.0, probe.lrScale());
            assertTrue(Double.isNaN(probe.weightDecay()));
            assertEquals(List.of("pre.weight", "pre.bias", "y.weight", "y.bias"),
                    m.trainableParams().stream().map(p -> p.name).toList());
        }
    }

    @Test
    void noiseIsReadableAndReplays() {
        try (CompiledModel m = model("Seeded", 2)) {
            Batch b = batch(m, 2);
            m.seedRandom(1);
            m.forward(b);
            float[] mask = m.noise("drop").clone();
            float[] out = m.activation("drop").clone();
            for (int i = 0; i < 4; i++) assertTrue(mask[i] == 0f || mask[i] == 1f, "a keep mask holds 0 and 1");
            m.seedRandom(99);
            m.setNoiseFixed(true);
            m.forward(b);
            assertArrayEquals(out, m.activation("drop"), "fixed noise reuses the buffer, whatever the stream");
            m.setNoiseFixed(false);
            m.seedRandom(1);
            m.forward(b);
            assertArrayEquals(mask, m.noise("drop"), "the same seed draws the same noise");
        }
    }

    @Test
    void tokenIdsHaveNoGradientAndSeveralInputsNeedABatch() {
        try (CompiledModel m = model("Tokens", 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.inputGradient("ids"));
            assertEquals("Tokens input 'ids' carries token ids, which have no gradient", e.getMessage());
        }
        String twoInputs = """
                package contract;
                import kiln.dsl.*;
                @Model
                class Two {
                    @Input(2) Layer a;
                    @Input(2) Layer b;
                    @Add({"a", "b"}) Layer sum;
                    @Loss(LossKind.MSE) Layer loss;
                }
                """;
        try (CompiledModel m = ModelCompiler.load("contract.Two", twoInputs, 2, 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forward(new float[4], 2));
            assertEquals("Two has inputs [a, b]: give them all in a Batch (forward(batch))", e.getMessage());
            Batch b = Batch.forModel(m, 2);
            b.input("a")[0] = 1;
            b.input("b")[0] = 2;
            b.size = 1;
            m.forward(b);
            assertEquals(3f, m.activation("sum")[0]);
        }
    }

    private static Batch batch(CompiledModel m, int n) {
        Batch b = Batch.forModel(m, n);
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < n * m.inputSize(); i++) b.x[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < n * m.targetSize(); i++) b.targets[i] = (float) rnd.nextDouble(-1, 1);
        b.size = n;
        return b;
    }
}
