package kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * Misuse of the open model is a compile error at the offending element, in both front ends: a KL
 * term on something that is not a Gaussian's parameters, a tied weight whose shape does not fit,
 * a loss target of the wrong shape, an input that nothing reads, parameters shared with an unknown
 * node, settings on a node without parameters, token ids read by a dense layer, a loss term left
 * out of {@code minimize}.
 */
class OpenModelCompileErrorTest {
    private static Compilation annotated(String body) {
        return ModelCompiler.compile("bad.M", """
                package bad;
                import kiln.dsl.*;
                @Model
                class M {
                """ + body + "}\n");
    }

    // Annotated sources: 1 package, 2 import, 3 @Model, 4 class, so the first body line is line 5.

    @Test
    void klTermOnANodeThatIsNotAGaussianSample() {
        Compilation c = annotated("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer mu;
                    @Loss(value = LossKind.KL_DIVERGENCE, from = "mu") Layer kl;
                """);
        assertThat(c).hadErrorContaining("kl_divergence reads a Gaussian's parameters from a gaussian_sample node, but 'mu'"
                + " is a dense node: point it at the @GaussianSample").inFile(c.sourceFiles().get(0)).onLine(7);
    }

    @Test
    void tiedWeightOfTheWrongShapeIsReportedAtItsParams() {
        Compilation c = annotated("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer enc;
                    @Dense(units = 6)
                    @Params(transposeOf = "enc") Layer dec;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("'dec' needs a weight [6, 4] but 'enc'.weight transposed is [8, 4]: its units must be 8"
                + " and its input 4 wide").inFile(c.sourceFiles().get(0)).onLine(8);
    }

    @Test
    void lossTargetOfTheWrongShape() {
        Compilation c = annotated("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer code;
                    @Loss(value = LossKind.MSE, target = "x") Layer recon;
                """);
        assertThat(c).hadErrorContaining("mse compares 'code' [4] with target 'x' [8]: they need one shape")
                .inFile(c.sourceFiles().get(0)).onLine(7);
    }

    @Test
    void inputThatNothingReads() {
        Compilation c = annotated("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer h;
                    @Input(3) Layer extra;
                    @Dense(units = 2, from = "h") Layer y;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("input 'extra' is read by no node: connect it or remove it")
                .inFile(c.sourceFiles().get(0)).onLine(7);
    }

    @Test
    void sharingWithAnUnknownNode() {
        Compilation c = annotated("""
                    @Input(8) Layer x;
                    @Dense(units = 8) @Params(sharedWith = "encoder") Layer h;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("unknown node 'encoder'; declared nodes are").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void settingsOnANodeWithoutParameters() {
        Compilation c = annotated("""
                    @Input(8) Layer x;
                    @Activate(Activation.RELU) @Params(frozen = true) Layer r;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("'r' is a relu node, which has no parameters to train differently")
                .inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void tokenIdsReadByADenseLayer() {
        Compilation c = annotated("""
                    @Input(value = 8, kind = InputKind.TOKENS) Layer ids;
                    @Dense(units = 4) Layer h;
                    @Loss(LossKind.MSE) Layer loss;
                """);
        assertThat(c).hadErrorContaining("'ids' carries token ids, which only @Embedding or @OneHot read, but 'h' is a dense node")
                .inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void aLossTermIsNoOutput() {
        Compilation c = annotated("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer h;
                    @Loss(LossKind.MSE) @Output Layer loss;
                """);
        assertThat(c).hadErrorContaining("'loss' is a loss term, which cannot be an output").inFile(c.sourceFiles().get(0)).onLine(7);
    }

    // Fluent sources: FluentModelTest.HEADER is 6 lines and "class Models {" the 7th, so the body starts at line 8.

    @Test
    void fluentKlTermOnANodeThatIsNotASampleIsReportedAtItsCall() {
        Compilation c = FluentModelTest.compile("""
                    @Model
                    static ModelSpec m() {
                        Node mu = input(8).dense(4);
                        return minimize(mu.lossTerm(MSE),
                                mu.lossTerm(KL_DIVERGENCE));
                    }
                """);
        assertThat(c).hadErrorContaining("kl_divergence reads a Gaussian's parameters from a gaussian_sample node, but 'dense1'")
                .inFile(c.sourceFiles().get(0)).onLine(12);
    }

    @Test
    void fluentTiedWeightOfTheWrongShapeIsReportedAtTheDense() {
        Compilation c = FluentModelTest.compile("""
                    @Model
                    static ModelSpec m() {
                        Node x = input(8);
                        Node enc = x.dense(4).named("enc");
                        return enc.dense(6).named("dec").transposeOf(enc)
                                .loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("'dec' needs a weight [6, 4] but 'enc'.weight transposed is [8, 4]")
                .inFile(c.sourceFiles().get(0)).onLine(12);
    }

    @Test
    void fluentLossTermLeftOutOfMinimize() {
        Compilation c = FluentModelTest.compile("""
                    @Model
                    static ModelSpec m() {
                        Node h = input(8).dense(4);
                        LossTerm forgotten = h.lossTerm(L1_ACTIVITY);
                        return minimize(h.dense(2).lossTerm(MSE));
                    }
                """);
        assertThat(c).hadErrorContaining("loss term 'loss' is declared but not minimized: pass it to Kiln.minimize(...) with the others")
                .inFile(c.sourceFiles().get(0)).onLine(12);
    }
}
