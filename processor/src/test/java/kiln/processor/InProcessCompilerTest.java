package kiln.processor;

import static kiln.dsl.Activation.RELU;
import static kiln.dsl.Init.XAVIER_UNIFORM;
import static kiln.dsl.LossKind.MSE;
import static kiln.dsl.LossKind.SOFTMAX_CROSS_ENTROPY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import kiln.dsl.fluent.Kiln;
import kiln.dsl.fluent.ModelSpec;
import kiln.dsl.fluent.Node;
import kiln.ir.IrException;
import kiln.processor.runtime.InProcessCompiler;
import kiln.runtime.CompiledModel;
import org.junit.jupiter.api.Test;

/**
 * The run-time path against the build-time one: the same chain built in a running program
 * generates the same source as the {@code @Model} method (but for the package and the comment
 * naming where it came from) and trains to the same numbers.
 */
class InProcessCompilerTest {
    /** FluentEquivalenceTest.FLUENT's mlp(), built at run time. */
    private static ModelSpec mlp() {
        return Kiln.model("mlp").input(20).named("image")
                .dense(16, RELU).named("hidden1")
                .dense(12, RELU).named("hidden2")
                .dense(5).init(XAVIER_UNIFORM).named("logits")
                .loss(SOFTMAX_CROSS_ENTROPY);
    }

    /** FluentEquivalenceTest.FLUENT's residual(), built at run time. */
    private static ModelSpec residual() {
        Node h = Kiln.model("residual").input(20).named("image").dense(8, RELU).named("stem");
        for (int i = 1; i <= 2; i++) {
            Node block = h.dense(8, RELU).named("block" + i + "a").dense(8).named("block" + i + "b");
            h = h.add(block).named("join" + i).relu().named("out" + i);
        }
        return h.dense(5).init(XAVIER_UNIFORM).named("logits").loss(SOFTMAX_CROSS_ENTROPY);
    }

    /** FluentEquivalenceTest.FLUENT's conv(), built at run time. */
    private static ModelSpec conv() {
        return Kiln.model("conv").input(1, 8, 8).named("image")
                .conv2d(4, 3, RELU).padding(1).named("conv1")
                .maxPool2d(2).named("pool1")
                .batchNorm().named("norm")
                .flatten().named("features")
                .dense(5).named("logits")
                .loss(SOFTMAX_CROSS_ENTROPY);
    }

    private static final Compilation BUILD_TIME = ModelCompiler.compile("eq.Models", FluentEquivalenceTest.FLUENT);

    private static String asBuildTime(String runTimeSource, String method) {
        return runTimeSource.replace("package kiln.generated;", "package eq;")
                .replace("a fluent {@code ModelSpec} compiled at run time", "{@link Models#" + method + "()}");
    }

    @Test
    void runTimeSourceIsTheBuildTimeSource() {
        assertEquals(ModelCompiler.generatedSource(BUILD_TIME, "eq.MlpModel"), asBuildTime(InProcessCompiler.source(mlp()), "mlp"));
        assertEquals(ModelCompiler.generatedSource(BUILD_TIME, "eq.ResidualModel"),
                asBuildTime(InProcessCompiler.source(residual()), "residual"));
        assertEquals(ModelCompiler.generatedSource(BUILD_TIME, "eq.ConvModel"), asBuildTime(InProcessCompiler.source(conv()), "conv"));
    }

    @Test
    void runTimeModelTrainsLikeTheBuildTimeModel() {
        try (CompiledModel buildTime = ModelCompiler.instantiate(BUILD_TIME, "eq.MlpModel", 16, 2);
             CompiledModel runTime = InProcessCompiler.compile(mlp(), 16, 2)) {
            assertEquals("kiln.generated.MlpModel", runTime.getClass().getName());
            assertEquals("Mlp", runTime.name());
            FluentEquivalenceTest.assertSameTraining(buildTime, runTime);
        }
        try (CompiledModel buildTime = ModelCompiler.instantiate(BUILD_TIME, "eq.ResidualModel", 16, 1);
             CompiledModel runTime = InProcessCompiler.compile(residual(), 16, 1)) {
            FluentEquivalenceTest.assertSameTraining(buildTime, runTime);
        }
        try (CompiledModel buildTime = ModelCompiler.instantiate(BUILD_TIME, "eq.ConvModel", 16, 2);
             CompiledModel runTime = InProcessCompiler.compile(conv(), 16, 2)) {
            FluentEquivalenceTest.assertSameTraining(buildTime, runTime);
        }
    }

    @Test
    void aCompiledClassMakesManyModels() {
        InProcessCompiler.CompiledClass compiled = InProcessCompiler.compileClass(mlp());
        try (CompiledModel small = compiled.newInstance(4, 1); CompiledModel large = compiled.newInstance(64, 2)) {
            assertEquals(4, small.maxBatch());
            assertEquals(64, large.maxBatch());
            assertEquals(small.getClass(), large.getClass());
        }
        assertTrue(compiled.source().contains("public final class MlpModel extends CompiledModel"));
        assertNotSame(compiled.modelClass(), InProcessCompiler.compileClass(mlp()).modelClass(),
                "each compile has a class loader of its own");
    }

    @Test
    void aChainWithoutModelNameIsNamedFluent() {
        try (CompiledModel m = InProcessCompiler.compile(Kiln.input(3).dense(1).loss(MSE), 2, 1)) {
            assertEquals("kiln.generated.FluentModel", m.getClass().getName());
            assertEquals("Fluent", m.name());
            assertEquals(1, m.outputSize());
        }
    }

    @Test
    void irErrorsAreThrownWithTheBuildTimeMessage() {
        Node x = Kiln.model("bad").input(8);
        ModelSpec spec = x.dense(4).named("a").add(x.dense(3).named("b")).loss(MSE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InProcessCompiler.compile(spec, 2, 1));
        assertEquals("model Bad, node 'add1': shape mismatch in add: 'a' is [4] but 'b' is [3]", e.getMessage());
        assertEquals("add1", ((IrException) e.getCause()).node());
    }
}
