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
        assertThat(c).hadErrorContaining("model M has no loss and no output: declare a @Loss").inFile(c.sourceFiles().get(0)).onLine(4);
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
    void denseAfterAConvolutionSuggestsFlatten() {
        Compilation c = compile("""
                    @Input({1, 8, 8}) Layer image;
                    @Conv2d(outChannels = 2, kernel = 3) Layer conv;
                    @Dense(units = 10) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("dense needs a flat input of rank 1, but 'conv' has shape [2, 6, 6]: insert a"
                + " @Flatten node before it").inFile(c.sourceFiles().get(0)).onLine(7);
    }

    @Test
    void convolutionKernelLargerThanThePaddedInput() {
        Compilation c = compile("""
                    @Input({1, 8, 8}) Layer image;
                    @MaxPool2d(kernel = 4) Layer pool;
                    @Conv2d(outChannels = 2, kernel = 5, padding = 1) Layer conv;
                    @Flatten Layer flat;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("conv2d kernel 5 is larger than the padded input: 'pool' is [1, 2, 2], 2x2 padded by 1"
                + " on each side").inFile(c.sourceFiles().get(0)).onLine(7);
    }

    @Test
    void convolutionChannelMismatch() {
        Compilation c = compile("""
                    @Input({3, 8, 8}) Layer image;
                    @Conv2d(outChannels = 4, kernel = 3) Layer conv1;
                    @Conv2d(inChannels = 3, outChannels = 4, kernel = 3) Layer conv2;
                    @Flatten Layer flat;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("channel mismatch: conv2d 'conv2' expects inChannels = 3 but 'conv1' has 4 channels"
                + " (shape [4, 6, 6])").inFile(c.sourceFiles().get(0)).onLine(7);
    }

    @Test
    void poolingFloorsItsOutputSizeAsPyTorchAndWarnsAboutUnreadRows() {
        Compilation c = compile("""
                    @Input({1, 7, 7}) Layer image;
                    @MaxPool2d(kernel = 2) Layer pool;
                    @Flatten Layer flat;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("max_pool2d output size (7 - 2) / 2 + 1 = 3.5 is floored to 3 as PyTorch does, so row 6"
                + " of 'image' [1, 7, 7] is never read").inFile(c.sourceFiles().get(0)).onLine(6);
        assertThat(c).hadWarningContaining("so column 6 of 'image' [1, 7, 7] is never read").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void stridedConvolutionFloorsItsOutputSizeAndWarns() {
        Compilation c = compile("""
                    @Input({2, 8, 8}) Layer image;
                    @Conv2d(outChannels = 2, kernel = 2, stride = 4) Layer conv;
                    @Flatten Layer flat;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("conv2d output size (8 - 2) / 4 + 1 = 2.5 is floored to 2 as PyTorch does, so rows 6..7"
                + " of 'image' [2, 8, 8] are never read").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void stridedConvolutionMayLeaveOnlyPaddingUnread() {
        // PyTorch's floor: (8 + 2 - 3) / 2 + 1 = 4.5 -> 4 leaves one column of padding, no input, unread
        Compilation c = compile("""
                    @Input({2, 8, 8}) Layer image;
                    @Conv2d(outChannels = 2, kernel = 3, stride = 2, padding = 1) Layer conv;
                    @Flatten Layer flat;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void convolutionOnAFlatInputAsksForAnImageShape() {
        Compilation c = compile("""
                    @Input(784) Layer image;
                    @Conv2d(outChannels = 6, kernel = 5) Layer conv;
                    @Flatten Layer flat;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("conv2d needs an image input [channels, height, width], but 'image' has shape [784]:"
                + " declare the input with its image shape").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void dropoutRateOutOfRange() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dropout(1.0) Layer drop;
                    @Dense(units = 1) Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("dropout rate must be in [0, 1), got 1.0").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void nodeThatFeedsNothingIsAWarningNotAnError() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer unused;
                    @Dense(units = 2, from = "x") Layer out;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("node 'unused' feeds no loss term and no output, so it is not trained")
                .inFile(c.sourceFiles().get(0)).onLine(6);
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
                @Model(data = "mnist", optimizer = "lbfgs")
                class M {
                    @Input(8) Layer x;
                    @Dense(units = 1) Layer a;
                    @Loss(LossKind.MSE) Layer loss;
                }
                """);
        assertThat(c).hadErrorContaining("unknown optimizer 'lbfgs'; use one of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad")
                .inFile(c.sourceFiles().get(0)).onLine(3);
    }

    @Test
    void unknownScheduleIsAnErrorOnTheModel() {
        Compilation c = ModelCompiler.compile("bad.M", """
                package bad;
                import kiln.dsl.*;
                @Model(data = "mnist", schedule = "onecycle:5")
                class M {
                    @Input(8) Layer x;
                    @Dense(units = 1) Layer a;
                    @Loss(LossKind.MSE) Layer loss;
                }
                """);
        assertThat(c).hadErrorContaining("schedule \"onecycle:5\": onecycle: unknown schedule; use step, exp, cosine, plateau or none")
                .inFile(c.sourceFiles().get(0)).onLine(3);
    }

    @Test
    void aScheduleWithBadArgumentsIsAnErrorAtCompileTimeAsOnTheCommandLine() {
        Compilation c = ModelCompiler.compile("bad.M", """
                package bad;
                import kiln.dsl.*;
                @Model(data = "mnist", schedule = "step:abc")
                class M {
                    @Input(8) Layer x;
                    @Dense(units = 1) Layer a;
                    @Loss(LossKind.MSE) Layer loss;
                }
                """);
        assertThat(c).hadErrorContaining("schedule \"step:abc\": step:").inFile(c.sourceFiles().get(0)).onLine(3);
    }

    @Test
    void aModelThatIsItsOwnDataSourceMustBeConstructibleByItsMain() {
        Compilation inner = ModelCompiler.compile("bad.Outer", """
                package bad;
                import kiln.dsl.*;
                import kiln.runtime.data.*;
                public class Outer {
                    @Model
                    class Table implements DataSource {
                        @Input(4) Layer x;
                        @Dense(units = 2) Layer y;
                        @Loss(LossKind.MSE) Layer loss;
                        public Splits load(java.nio.file.Path dir, long seed) { return null; }
                        public String describe() { return "table"; }
                    }
                }
                """);
        assertThat(inner).hadErrorContaining("@Model class Table is an inner class, but its generated main creates it without an"
                + " enclosing instance (it is its own DataSource): declare it static").inFile(inner.sourceFiles().get(0)).onLine(6);
        Compilation hidden = ModelCompiler.compile("bad.Outer", """
                package bad;
                import kiln.dsl.*;
                import kiln.runtime.data.*;
                public class Outer {
                    @Model
                    private static class Table implements DataSource {
                        @Input(4) Layer x;
                        @Dense(units = 2) Layer y;
                        @Loss(LossKind.MSE) Layer loss;
                        public Splits load(java.nio.file.Path dir, long seed) { return null; }
                        public String describe() { return "table"; }
                    }
                }
                """);
        assertThat(hidden).hadErrorContaining("@Model class Table is private, but its generated main creates it")
                .inFile(hidden.sourceFiles().get(0)).onLine(6);
    }
}
