package kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import org.junit.jupiter.api.Test;

/**
 * Fluent {@code @Model} methods, one DSL feature per case: each is compiled by the processor,
 * and the generated model is loaded and checked (names, parameters, shapes, a forward pass).
 */
class FluentModelTest {
    static final String HEADER = """
            package fl;
            import static kiln.dsl.Activation.*;
            import static kiln.dsl.LossKind.*;
            import static kiln.dsl.fluent.Kiln.*;
            import kiln.dsl.*;
            import kiln.dsl.fluent.*;
            """;

    static Compilation compile(String body) {
        return ModelCompiler.compile("fl.Models", HEADER + "class Models {\n" + body + "}\n");
    }

    private static List<String> paramNames(CompiledModel m) {
        return m.params().stream().map(p -> p.name).toList();
    }

    private static List<String> paramShapes(CompiledModel m) {
        return m.params().stream().map(p -> p.name + java.util.Arrays.toString(p.shape())).toList();
    }

    /** Runs a forward pass on one row of ones: the generated code links and computes. */
    private static float[] forwardOnes(CompiledModel m) {
        Batch b = new Batch(1, m.inputSize(), m.targetSize());
        java.util.Arrays.fill(b.x, 1f);
        b.size = 1;
        m.initParams(1);
        return m.predict(b.x, 1).clone();
    }

    @Test
    void methodGeneratesAModelAndAMainNamedAfterIt() {
        Compilation c = compile("""
                    @Model(data = "mnist", epochs = 3, batch = 32, lr = 0.05, optimizer = "momentum", seed = 7)
                    static ModelSpec mnistMlp() {
                        return input(784).named("image")
                                .dense(256, RELU).named("hidden1")
                                .dense(128, RELU).named("hidden2")
                                .dense(10).named("logits")
                                .loss(SOFTMAX_CROSS_ENTROPY);
                    }
                """);
        assertThat(c).succeededWithoutWarnings();
        String main = ModelCompiler.generatedSource(c, "fl.MnistMlpMain");
        assertTrue(main.contains("new TrainDefaults(3, 32, 0.05, \"momentum\", 0.0, 7L, \"none\", 0.0)"), main);
        assertTrue(main.contains("TrainingMain.run(\"MnistMlp\", MnistMlpModel::new, DataSources.named(\"mnist\")"), main);
        try (CompiledModel m = ModelCompiler.instantiate(c, "fl.MnistMlpModel", 4, 1)) {
            assertEquals("MnistMlp", m.name());
            assertEquals(List.of("hidden1.weight[256, 784]", "hidden1.bias[256]", "hidden2.weight[128, 256]",
                    "hidden2.bias[128]", "logits.weight[10, 128]", "logits.bias[10]"), paramShapes(m));
            assertEquals(10, forwardOnes(m).length / 4);
        }
    }

    @Test
    void unnamedNodesAreNamedByKindAndCount() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec small() {
                        return input(8).dense(6, TANH).dense(4).relu().dense(3).loss(SOFTMAX_CROSS_ENTROPY);
                    }
                """);
        try (CompiledModel m = ModelCompiler.instantiate(c, "fl.SmallModel", 2, 1)) {
            assertEquals(List.of("dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias", "dense3.weight",
                    "dense3.bias"), paramNames(m));
        }
        assertTrue(ModelCompiler.generatedSource(c, "fl.SmallModel").contains("relu1 = relu(dense2) [4]"));
    }

    @Test
    void constantsEnumValuesAndLocalVariablesAreEvaluated() {
        Compilation c = compile("""
                    static final int HIDDEN = 12;
                    static final String PREFIX = "layer";
                    static final class Sizes {
                        static final int CLASSES = 5;
                    }

                    @Model(data = "mnist")
                    static ModelSpec constants() {
                        int width = HIDDEN * 2 - 4;
                        long unused = 3L;
                        Activation act = Activation.TANH;
                        int[] shape = {6};
                        Node x = input(shape);
                        Node h = x.dense(width, act).named(PREFIX + 1);
                        h = h.dense(HIDDEN / 4, kiln.dsl.Activation.RELU).named(PREFIX + (1 + 1));
                        return h.dense(Sizes.CLASSES).init(Init.XAVIER_UNIFORM).named("out").loss(kiln.dsl.LossKind.SOFTMAX_CROSS_ENTROPY);
                    }
                """);
        assertThat(c).succeeded();
        try (CompiledModel m = ModelCompiler.instantiate(c, "fl.ConstantsModel", 2, 1)) {
            assertEquals(List.of("layer1.weight[20, 6]", "layer1.bias[20]", "layer2.weight[3, 20]", "layer2.bias[3]",
                    "out.weight[5, 3]", "out.bias[5]"), paramShapes(m));
        }
        String model = ModelCompiler.generatedSource(c, "fl.ConstantsModel");
        assertTrue(model.contains("input = input() [6]"), model);
        assertTrue(model.contains("layer1 = dense tanh(input) [20]"), model);
        assertTrue(model.contains("Init.XAVIER_UNIFORM, 3, 5, 5, 3"), model);
    }

    @Test
    void forLoopRepeatsABlockWithNamesFromItsCounter() {
        Compilation c = compile("""
                    static final int BLOCKS = 3;

                    @Model(data = "mnist")
                    static ModelSpec deep() {
                        Node h = input(10).dense(8, RELU).named("stem");
                        for (int i = 1; i <= BLOCKS; i++) {
                            Node inner = h.dense(8, RELU).named("block" + i + "a").dense(8).named("block" + i + "b");
                            h = h.add(inner).named("join" + i).relu().named("out" + i);
                        }
                        for (int i = 0; i < 4; i += 2) {
                            h = h.dense(8 - i).named("tail" + i);
                        }
                        return h.dense(3).named("logits").loss(SOFTMAX_CROSS_ENTROPY);
                    }
                """);
        assertThat(c).succeeded();
        try (CompiledModel m = ModelCompiler.instantiate(c, "fl.DeepModel", 2, 1)) {
            assertEquals(List.of("stem.weight", "stem.bias", "block1a.weight", "block1a.bias", "block1b.weight",
                    "block1b.bias", "block2a.weight", "block2a.bias", "block2b.weight", "block2b.bias", "block3a.weight",
                    "block3a.bias", "block3b.weight", "block3b.bias", "tail0.weight", "tail0.bias", "tail2.weight",
                    "tail2.bias", "logits.weight", "logits.bias"), paramNames(m));
            assertEquals("tail2.weight[6, 8]", paramShapes(m).get(16));
            forwardOnes(m);
        }
        String model = ModelCompiler.generatedSource(c, "fl.DeepModel");
        assertTrue(model.contains("join3 = add(out2, block3b) [8]"), model);
    }

    @Test
    void branchesJoinThroughLocalsNamesAndTheStaticAdd() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec branches() {
                        Node x = input(6).named("x");
                        Node a = x.dense(4).named("a");
                        Node b = x.dense(4, SIGMOID).named("b");
                        Node c = x.node("a").dense(4).named("c");
                        return add(a, b, c).named("sum").dense(2, SIGMOID).withoutBias().loss(BINARY_CROSS_ENTROPY);
                    }
                """);
        assertThat(c).succeeded();
        String model = ModelCompiler.generatedSource(c, "fl.BranchesModel");
        assertTrue(model.contains("sum = add(a, b, c) [4]"), model);
        assertTrue(model.contains("c = dense(a) [4]"), model);
        try (CompiledModel m = ModelCompiler.instantiate(c, "fl.BranchesModel", 2, 1)) {
            assertEquals(List.of("a.weight", "a.bias", "b.weight", "b.bias", "c.weight", "c.bias", "dense4.weight"),
                    paramNames(m));
            float p = forwardOnes(m)[0];
            assertTrue(p > 0 && p < 1, "a probability: " + p);
        }
    }

    @Test
    void activationNodesAndNamedLossCompile() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec activations() {
                        return input(new int[] {4}).dense(4).tanh().dense(4).activation(IDENTITY).dense(2).sigmoid()
                                .loss(MSE_SUM, "objective");
                    }
                """);
        assertThat(c).succeeded();
        String model = ModelCompiler.generatedSource(c, "fl.ActivationsModel");
        assertTrue(model.contains("objective = loss mse_sum(sigmoid1) [1]"), model);
        try (CompiledModel m = ModelCompiler.instantiate(c, "fl.ActivationsModel", 2, 1)) {
            assertEquals(2, forwardOnes(m).length / 2);
        }
    }

    @Test
    void aClassThatImplementsDataSourceFeedsItsFluentModels() {
        Compilation c = ModelCompiler.compile("fl.Own", """
                package fl;
                import static kiln.dsl.fluent.Kiln.input;
                import kiln.dsl.*;
                import kiln.dsl.fluent.*;
                import kiln.runtime.data.*;
                public class Own implements DataSource {
                    @Override public Splits load(java.nio.file.Path dir, long seed) { throw new UnsupportedOperationException(); }
                    @Override public String describe() { return "own data"; }
                    @Model(epochs = 2)
                    static ModelSpec regression() {
                        return input(3).dense(1).loss(LossKind.MSE);
                    }
                }
                """);
        assertThat(c).succeeded();
        String main = ModelCompiler.generatedSource(c, "fl.RegressionMain");
        assertTrue(main.contains("TrainingMain.run(\"Regression\", RegressionModel::new, new Own(), defaults, args)"), main);
    }

    /** The class is attributed early, to evaluate the method; classes generated from it still resolve. */
    @Test
    void theDeclaringClassMayUseItsGeneratedModel() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec tiny() {
                        return input(2).dense(1).loss(MSE);
                    }

                    static kiln.runtime.CompiledModel create() {
                        return new TinyModel(4, 1);
                    }
                """);
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void theGeneratedModelLinksToItsMethod() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec tiny() {
                        return input(2).dense(1).loss(MSE);
                    }
                """);
        assertTrue(ModelCompiler.generatedSource(c, "fl.TinyModel").contains("Generated by Kiln from {@link Models#tiny()}"));
    }

    /** The typed builders: what cannot be declared does not compile (javac's own errors, no Kiln message). */
    @Test
    void wrongChainsDoNotCompile() {
        assertThat(compile("""
                    @Model(data = "mnist")
                    static ModelSpec afterLoss() {
                        return input(4).dense(2).loss(MSE).dense(3);
                    }
                """)).hadErrorContaining("cannot find symbol");
        assertThat(compile("""
                    @Model(data = "mnist")
                    static ModelSpec addTakesNodes() {
                        Node x = input(4);
                        return x.add("x").loss(MSE);
                    }
                """)).hadErrorContaining("incompatible types: java.lang.String cannot be converted to kiln.dsl.fluent.Node");
        assertThat(compile("""
                    @Model(data = "mnist")
                    static ModelSpec initIsForDense() {
                        return input(4).dense(2).relu().init(Init.ZEROS).loss(MSE);
                    }
                """)).hadErrorContaining("cannot find symbol");
        assertThat(compile("""
                    @Model(data = "mnist")
                    static ModelSpec noLoss() {
                        return input(4).dense(2);
                    }
                """)).hadErrorContaining("incompatible types: kiln.dsl.fluent.DenseNode cannot be converted to kiln.dsl.fluent.ModelSpec");
    }

    @Test
    void evaluatedArithmeticFollowsJava() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec arithmetic() {
                        int a = 7 / 2;          // 3
                        int b = -a + 10 % 4;    // -1
                        double half = 5 / 2.0;  // 2.5
                        int units = (int) 0 + a * 2 + b;
                        return input(4).dense(units).named("u" + a + b + half).loss(MSE);
                    }
                """);
        // A cast is outside the subset: it is reported, with what is supported instead.
        assertThat(c).hadErrorContaining("'(int)0' (a cast) cannot be evaluated at build time");
        Compilation ok = compile("""
                    @Model(data = "mnist")
                    static ModelSpec arithmetic() {
                        int a = 7 / 2;
                        int b = -a + 10 % 4;
                        double half = 5 / 2.0;
                        int units = a * 2 + b;
                        units += 1;
                        units--;
                        boolean above = half > 2 && !(b >= 0);
                        return input(4).dense(units).named("u" + a + "_" + above + "_" + 'c').loss(MSE);
                    }
                """);
        assertThat(ok).succeeded();
        try (CompiledModel m = ModelCompiler.instantiate(ok, "fl.ArithmeticModel", 1, 1)) {
            Param w = m.params().get(0);
            assertEquals("u3_true_c.weight", w.name);
            assertEquals(List.of(5, 4), java.util.Arrays.stream(w.shape()).boxed().toList());
        }
    }
}
