package kiln.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.testing.compile.Compilation;
import java.util.Random;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import org.junit.jupiter.api.Test;

/**
 * One model, two front ends: an annotated class and a fluent method with the same node names
 * generate byte-identical sources (but for the {@code @link} to the declaring element), and train
 * to the same losses and parameters from the same seed (to a few ulps: see assertSameTraining).
 */
class FluentEquivalenceTest {
    static final String ANNOTATED_MLP = """
            package eq;
            import kiln.dsl.*;
            @Model(data = "mnist", epochs = 5, batch = 64, lr = 0.05, optimizer = "momentum")
            class Mlp {
                @Input(20) Layer image;
                @Dense(units = 16, activation = Activation.RELU) Layer hidden1;
                @Dense(units = 12, activation = Activation.RELU) Layer hidden2;
                @Dense(units = 5, init = Init.XAVIER_UNIFORM) Layer logits;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String ANNOTATED_RESIDUAL = """
            package eq;
            import kiln.dsl.*;
            @Model(data = "mnist", epochs = 5, batch = 64, lr = 0.05, optimizer = "momentum")
            class Residual {
                @Input(20) Layer image;
                @Dense(units = 8, activation = Activation.RELU) Layer stem;
                @Dense(units = 8, activation = Activation.RELU) Layer block1a;
                @Dense(units = 8) Layer block1b;
                @Add({"stem", "block1b"}) Layer join1;
                @Activate(Activation.RELU) Layer out1;
                @Dense(units = 8, activation = Activation.RELU) Layer block2a;
                @Dense(units = 8) Layer block2b;
                @Add({"out1", "block2b"}) Layer join2;
                @Activate(Activation.RELU) Layer out2;
                @Dense(units = 5, init = Init.XAVIER_UNIFORM) Layer logits;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String ANNOTATED_CONV = """
            package eq;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class Conv {
                @Input({1, 8, 8}) Layer image;
                @Conv2d(outChannels = 4, kernel = 3, padding = 1, activation = Activation.RELU) Layer conv1;
                @MaxPool2d(kernel = 2) Layer pool1;
                @BatchNorm Layer norm;
                @Flatten Layer features;
                @Dense(units = 5) Layer logits;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String ANNOTATED_LSTM = """
            package eq;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class LstmLast {
                @Input({6, 4}) Layer input;
                @Lstm(hidden = 5, returns = Returns.LAST) Layer lstm;
                @Dense(units = 3) Layer head;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String ANNOTATED_TAGGER = """
            package eq;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class Tagger {
                @Input(6) Layer tokens;
                @Embedding(vocab = 10, dim = 4) Layer embed;
                @Gru(hidden = 5, layers = 2, dropout = 0.25, returns = Returns.LAST) Layer gru;
                @Dense(units = 3) Layer head;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String FLUENT = """
            package eq;
            import static kiln.dsl.Activation.RELU;
            import static kiln.dsl.Init.XAVIER_UNIFORM;
            import static kiln.dsl.LossKind.SOFTMAX_CROSS_ENTROPY;
            import static kiln.dsl.fluent.Kiln.input;
            import kiln.dsl.Model;
            import kiln.dsl.Returns;
            import kiln.dsl.fluent.ModelSpec;
            import kiln.dsl.fluent.Node;
            class Models {
                @Model(data = "mnist", epochs = 5, batch = 64, lr = 0.05, optimizer = "momentum")
                static ModelSpec mlp() {
                    return input(20).named("image")
                            .dense(16, RELU).named("hidden1")
                            .dense(12, RELU).named("hidden2")
                            .dense(5).init(XAVIER_UNIFORM).named("logits")
                            .loss(SOFTMAX_CROSS_ENTROPY);
                }

                @Model(data = "mnist", epochs = 5, batch = 64, lr = 0.05, optimizer = "momentum")
                static ModelSpec residual() {
                    Node h = input(20).named("image").dense(8, RELU).named("stem");
                    for (int i = 1; i <= 2; i++) {
                        Node block = h.dense(8, RELU).named("block" + i + "a").dense(8).named("block" + i + "b");
                        h = h.add(block).named("join" + i).relu().named("out" + i);
                    }
                    return h.dense(5).init(XAVIER_UNIFORM).named("logits").loss(SOFTMAX_CROSS_ENTROPY);
                }

                @Model(data = "mnist")
                static ModelSpec conv() {
                    return input(1, 8, 8).named("image")
                            .conv2d(4, 3, RELU).padding(1).named("conv1")
                            .maxPool2d(2).named("pool1")
                            .batchNorm().named("norm")
                            .flatten().named("features")
                            .dense(5).named("logits")
                            .loss(SOFTMAX_CROSS_ENTROPY);
                }

                @Model(data = "mnist")
                static ModelSpec lstmLast() {
                    return input(6, 4).lstm(5).returns(Returns.LAST).named("lstm")
                            .dense(3).named("head")
                            .loss(SOFTMAX_CROSS_ENTROPY);
                }

                @Model(data = "mnist")
                static ModelSpec tagger() {
                    return input(6).named("tokens")
                            .embedding(10, 4).named("embed")
                            .gru(5).layers(2, 0.25).returns(Returns.LAST).named("gru")
                            .dense(3).named("head")
                            .loss(SOFTMAX_CROSS_ENTROPY);
                }
            }
            """;

    private static final Compilation FLUENT_COMPILATION = ModelCompiler.compile("eq.Models", FLUENT);

    @Test
    void mlpSourcesAreIdenticalButForTheLink() {
        Compilation annotated = ModelCompiler.compile("eq.Mlp", ANNOTATED_MLP);
        String expected = ModelCompiler.generatedSource(annotated, "eq.MlpModel");
        String actual = ModelCompiler.generatedSource(FLUENT_COMPILATION, "eq.MlpModel");
        assertNotEquals(expected, actual);
        assertEquals(expected, actual.replace("{@link Models#mlp()}", "{@link Mlp}"));
        assertEquals(ModelCompiler.generatedSource(annotated, "eq.MlpMain"),
                ModelCompiler.generatedSource(FLUENT_COMPILATION, "eq.MlpMain"));
    }

    @Test
    void residualSourcesAreIdenticalButForTheLink() {
        Compilation annotated = ModelCompiler.compile("eq.Residual", ANNOTATED_RESIDUAL);
        String expected = ModelCompiler.generatedSource(annotated, "eq.ResidualModel");
        String actual = ModelCompiler.generatedSource(FLUENT_COMPILATION, "eq.ResidualModel");
        assertEquals(expected, actual.replace("{@link Models#residual()}", "{@link Residual}"));
    }

    @Test
    void convolutionalSourcesAreIdenticalButForTheLink() {
        Compilation annotated = ModelCompiler.compile("eq.Conv", ANNOTATED_CONV);
        String expected = ModelCompiler.generatedSource(annotated, "eq.ConvModel");
        String actual = ModelCompiler.generatedSource(FLUENT_COMPILATION, "eq.ConvModel");
        assertEquals(expected, actual.replace("{@link Models#conv()}", "{@link Conv}"));
    }

    @Test
    void convolutionalModelTrainsToTheSameNumbers() {
        try (CompiledModel annotated = ModelCompiler.load("eq.Conv", ANNOTATED_CONV, 16, 2);
             CompiledModel fluent = ModelCompiler.instantiate(FLUENT_COMPILATION, "eq.ConvModel", 16, 2)) {
            assertSameTraining(annotated, fluent);
        }
    }

    @Test
    void recurrentSourcesAreIdenticalButForTheLink() {
        Compilation lstm = ModelCompiler.compile("eq.LstmLast", ANNOTATED_LSTM);
        assertEquals(ModelCompiler.generatedSource(lstm, "eq.LstmLastModel"), ModelCompiler.generatedSource(
                FLUENT_COMPILATION, "eq.LstmLastModel").replace("{@link Models#lstmLast()}", "{@link LstmLast}"));
        Compilation tagger = ModelCompiler.compile("eq.Tagger", ANNOTATED_TAGGER);
        assertEquals(ModelCompiler.generatedSource(tagger, "eq.TaggerModel"), ModelCompiler.generatedSource(
                FLUENT_COMPILATION, "eq.TaggerModel").replace("{@link Models#tagger()}", "{@link Tagger}"));
    }

    @Test
    void recurrentModelTrainsToTheSameNumbers() {
        try (CompiledModel annotated = ModelCompiler.load("eq.LstmLast", ANNOTATED_LSTM, 16, 1);
             CompiledModel fluent = ModelCompiler.instantiate(FLUENT_COMPILATION, "eq.LstmLastModel", 16, 1)) {
            assertSameTraining(annotated, fluent);
        }
    }

    @Test
    void mlpTrainsToTheSameNumbers() {
        try (CompiledModel annotated = ModelCompiler.load("eq.Mlp", ANNOTATED_MLP, 16, 2);
             CompiledModel fluent = ModelCompiler.instantiate(FLUENT_COMPILATION, "eq.MlpModel", 16, 2)) {
            assertSameTraining(annotated, fluent);
        }
    }

    @Test
    void residualTrainsToTheSameNumbers() {
        try (CompiledModel annotated = ModelCompiler.load("eq.Residual", ANNOTATED_RESIDUAL, 16, 1);
             CompiledModel fluent = ModelCompiler.instantiate(FLUENT_COMPILATION, "eq.ResidualModel", 16, 1)) {
            assertSameTraining(annotated, fluent);
        }
    }

    /**
     * Five momentum-SGD steps on one seeded batch, from parameters initialised with seed 42, the
     * two models stepped in turn: equal to a few ulps. The two classes run the same source (the
     * golden and equivalence tests pin that), but not necessarily the same machine code: the
     * Vector API's lane reductions add in a different order interpreted than once C2 compiles
     * them, and the JIT may compile one class a step before the other.
     */
    static void assertSameTraining(CompiledModel expected, CompiledModel actual) {
        Batch batch = classificationBatch(expected, 16, 7);
        expected.initParams(42);
        actual.initParams(42);
        Optimizer expectedOpt = Optimizers.create("momentum", expected.params(), 0.05);
        Optimizer actualOpt = Optimizers.create("momentum", actual.params(), 0.05);
        float first = 0;
        float last = 0;
        for (int s = 0; s < 5; s++) {
            last = step(expected, expectedOpt, batch);
            assertEquals(last, step(actual, actualOpt, batch), 8 * Math.ulp(last), "loss at step " + (s + 1));
            if (s == 0) first = last;
        }
        assertNotEquals(first, last, "training moved the loss");
        assertEquals(expected.params().size(), actual.params().size());
        for (int i = 0; i < expected.params().size(); i++) {
            assertEquals(expected.params().get(i).name, actual.params().get(i).name);
            assertArrayEquals(expected.params().get(i).value, actual.params().get(i).value, 1e-6f, expected.params().get(i).name);
        }
    }

    private static float step(CompiledModel model, Optimizer opt, Batch batch) {
        model.forward(batch.x, batch.size);
        float loss = model.lossAndGrad(batch);
        model.backward(batch.x, batch.size);
        opt.step();
        return loss;
    }

    static Batch classificationBatch(CompiledModel model, int rows, long seed) {
        Random random = new Random(seed);
        Batch b = new Batch(rows, model.inputSize(), model.targetSize());
        for (int i = 0; i < b.x.length; i++) b.x[i] = (float) random.nextGaussian();
        for (int i = 0; i < rows; i++) b.labels[i] = random.nextInt(model.outputSize());
        b.size = rows;
        return b;
    }
}
