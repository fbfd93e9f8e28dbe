package kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * Every malformed model is a compile error at the offending element, naming the problem.
 * Each case pins the message and the line it points at.
 */
class CompileErrorTest {
    private static Compilation compile(String body) {
        return ModelCompiler.compile("bad.M", """
                package bad;
                import kiln.dsl.*;
                @Model(data = "mnist")
                class M {
                """ + body + "}\n");
    }

    // Source lines: 1 package, 2 import, 3 @Model, 4 class, so the first body line is line 5.

    @Test
    void shapeMismatchInAddNamesBothShapes() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer a;
                    @Dense(units = 3, from = "x") Layer b;
                    @Add({"a", "b"}) Layer sum;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("shape mismatch in add: 'a' is [4] but 'b' is [3]").inFile(c.sourceFiles().get(0)).onLine(8);
    }

    @Test
    void unknownNodeNameListsTheDeclaredOnes() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 4, from = "y") Layer a;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("unknown node 'y'; declared nodes are x, a, loss").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void cycleIsReportedAlongItsPath() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 8, from = "b") Layer a;
                    @Dense(units = 8, from = "a") Layer b;
                    @Add({"x", "b"}) Layer sum;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("cycle: a -> b -> a").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void missingLossIsReportedOnTheClass() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer a;
                """);
        assertThat(c).hadErrorContaining("model M has no loss: declare one with @Loss").inFile(c.sourceFiles().get(0)).onLine(4);
    }

    @Test
    void binaryCrossEntropyNeedsASigmoidOutput() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 1) Layer logit;
                    @Loss(LossKind.BINARY_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("binary_cross_entropy takes probabilities, but 'logit' is not a sigmoid output")
                .inFile(c.sourceFiles().get(0)).onLine(7);
    }

    @Test
    void softmaxCrossEntropyRejectsAnExplicitSoftmax() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 3) Layer logits;
                    @Activate(Activation.SOFTMAX) Layer probs;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("softmax_cross_entropy takes raw logits, but 'probs' is already a softmax")
                .inFile(c.sourceFiles().get(0)).onLine(8);
    }

    @Test
    void nonPositiveUnitsIsAnError() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 0) Layer a;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("dense units must be >= 1, got 0").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void negativeLearningRateIsAnErrorOnTheModel() {
        Compilation c = ModelCompiler.compile("bad.M", """
                package bad;
                import kiln.dsl.*;
                @Model(data = "mnist", lr = -0.1)
                class M {
                    @Input(8) Layer x;
                    @Dense(units = 1) Layer a;
                    @Loss(LossKind.MSE) Layer loss;
                }
                """);
        assertThat(c).hadErrorContaining("lr must be a positive number, got -0.1").inFile(c.sourceFiles().get(0)).onLine(3);
    }

    @Test
    void denseOnAnImageNeedsAFlatInput() {
        Compilation c = compile("""
                    @Input({1, 28, 28}) Layer image;
                    @Dense(units = 10) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("dense needs a flat input of rank 1, but 'image' has shape [1, 28, 28]")
                .inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void nodeThatDoesNotFeedTheLossIsAnError() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer unused;
                    @Dense(units = 2, from = "x") Layer out;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("node 'unused' does not feed the loss 'loss'").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void fieldWithTwoNodeAnnotationsIsAnError() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 4) @Activate(Activation.RELU) Layer a;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("field 'a' has more than one node annotation").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void unknownOptimizerIsAnErrorOnTheModel() {
        Compilation c = ModelCompiler.compile("bad.M", """
                package bad;
                import kiln.dsl.*;
                @Model(data = "mnist", optimizer = "adagrad")
                class M {
                    @Input(8) Layer x;
                    @Dense(units = 1) Layer a;
                    @Loss(LossKind.MSE) Layer loss;
                }
                """);
        assertThat(c).hadErrorContaining("unknown optimizer 'adagrad'; use one of sgd, momentum, nesterov, adam")
                .inFile(c.sourceFiles().get(0)).onLine(3);
    }
}
