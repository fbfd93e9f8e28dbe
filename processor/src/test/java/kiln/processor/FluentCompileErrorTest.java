package kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * A fluent model outside the evaluated subset, or a malformed one, is a compile error at the
 * expression or DSL call at fault. Each case pins the message and the line.
 */
class FluentCompileErrorTest {
    private static Compilation compile(String body) {
        return FluentModelTest.compile(body);
    }

    // Source lines: 1 package, 2-6 imports, 7 class, so the first body line is line 8.

    @Test
    void callToANonDslMethodIsAnErrorAtTheCall() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        int width = Math.max(4, 8);
                        return input(4).dense(width).loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("cannot call Math.max(...) in a @Model method: only the fluent DSL"
                + " (kiln.dsl.fluent) is evaluated at build time, so write the value as a literal or a static final"
                + " constant; a @Model method may use literals, compile-time constants, enum values, local variables,"
                + " arithmetic, for loops over an int counter, and calls to the fluent DSL (kiln.dsl.fluent)")
                .inFile(c.sourceFiles().get(0)).onLine(10);
    }

    @Test
    void callToAHelperMethodOfTheSameClassIsAnError() {
        Compilation c = compile("""
                    static int width() { return 4; }

                    @Model(data = "mnist")
                    static ModelSpec m() {
                        return input(4)
                                .dense(width())
                                .loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("cannot call Models.width(...) in a @Model method").inFile(c.sourceFiles().get(0))
                .onLine(13);
    }

    @Test
    void nonConstantFieldIsAnError() {
        Compilation c = compile("""
                    static int width = 4;

                    @Model(data = "mnist")
                    static ModelSpec m() {
                        return input(4).dense(width).loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("field 'width' is not a compile-time constant: only static final fields of"
                + " primitive or String type with constant values are evaluated at build time (e.g. static final int"
                + " HIDDEN = 256), so make it one or write the value").inFile(c.sourceFiles().get(0)).onLine(12);
    }

    @Test
    void whileLoopIsAnError() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Node h = input(4);
                        int i = 0;
                        while (i < 2) {
                            h = h.dense(4);
                            i++;
                        }
                        return h.loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("a while loop cannot be evaluated at build time: repeat a block with a for loop"
                + " over an int counter, e.g. for (int i = 0; i < 3; i++)").inFile(c.sourceFiles().get(0)).onLine(12);
    }

    @Test
    void ifStatementIsAnError() {
        Compilation c = compile("""
                    static final boolean DEEP = true;

                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Node h = input(4);
                        if (DEEP) h = h.dense(4);
                        return h.loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("an if statement cannot be evaluated at build time").inFile(c.sourceFiles().get(0))
                .onLine(13);
    }

    @Test
    void objectCreationIsAnErrorAtTheExpression() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Object o = new Object();
                        return input(4).loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("'new Object()' (object creation) cannot be evaluated at build time")
                .inFile(c.sourceFiles().get(0)).onLine(10);
    }

    @Test
    void loopCounterChangedInTheBodyIsAnError() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Node h = input(4);
                        for (int i = 0; i < 4; i++) {
                            h = h.dense(4);
                            i = i + 1;
                        }
                        return h.loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("the loop counter 'i' may change only in the for update")
                .inFile(c.sourceFiles().get(0)).onLine(13);
    }

    @Test
    void shapeMismatchInAddPointsAtTheAddCall() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Node x = input(8);
                        Node a = x.dense(4).named("a");
                        Node b = x.dense(3).named("b");
                        return a
                                .add(b)
                                .loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("shape mismatch in add: 'a' is [4] but 'b' is [3]").inFile(c.sourceFiles().get(0))
                .onLine(14);
    }

    @Test
    void unknownNameIsAnErrorAtTheNodeThatReadsIt() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Node x = input(8).named("x");
                        Node h = x.dense(8).named("h");
                        return h.add(h.node("hiden")).named("sum")
                                .loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("unknown node 'hiden'; declared nodes are x, h, sum, loss")
                .inFile(c.sourceFiles().get(0)).onLine(12);
    }

    @Test
    void duplicateNameIsAnErrorAtTheSecondDeclaration() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        return input(8)
                                .dense(8).named("h")
                                .dense(8).named("h")
                                .loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("duplicate node name 'h': each node needs its own name")
                .inFile(c.sourceFiles().get(0)).onLine(12);
    }

    @Test
    void irAttributeErrorsPointAtTheDeclaringCall() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        return input(8)
                                .dense(0)
                                .loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("dense units must be >= 1, got 0").inFile(c.sourceFiles().get(0)).onLine(11);
    }

    @Test
    void lossCheckPointsAtTheLossCall() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        return input(8)
                                .dense(1)
                                .loss(BINARY_CROSS_ENTROPY);
                    }
                """);
        assertThat(c).hadErrorContaining("binary_cross_entropy takes probabilities, but 'dense1' is not a sigmoid output")
                .inFile(c.sourceFiles().get(0)).onLine(12);
    }

    @Test
    void nodeThatFeedsNothingIsAWarningAtItsCall() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Node x = input(8);
                        x.dense(4);
                        return x.dense(2).loss(MSE);
                    }
                """);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("node 'dense1' feeds no loss term and no output").inFile(c.sourceFiles().get(0))
                .onLine(11);
    }

    @Test
    void dslFailureIsAnErrorAtTheCall() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Node x = input(8);
                        ModelSpec spec = x.dense(2).loss(MSE);
                        x.dense(3);
                        return spec;
                    }
                """);
        assertThat(c).hadErrorContaining("the model is finished: loss(...) ends the chain").inFile(c.sourceFiles().get(0))
                .onLine(12);
    }

    @Test
    void invalidNodeNameIsAnErrorAtTheCall() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        return input(8).dense(2).named("block 1").loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("'block 1' is not a Java identifier").inFile(c.sourceFiles().get(0)).onLine(10);
    }

    @Test
    void kilnModelIsForRunTimeOnly() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec mlp() {
                        return model("mlp").input(8).dense(2).loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("a @Model method's model is named after the method (Mlp): start the chain with"
                + " input(...)").inFile(c.sourceFiles().get(0)).onLine(10);
    }

    @Test
    void runawayLoopIsAnError() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m() {
                        Node h = input(8);
                        for (int i = 0; i < 1000000; i++) {
                            h = h.relu();
                        }
                        return h.loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("the for loops run more than 100000 times").inFile(c.sourceFiles().get(0)).onLine(11);
    }

    @Test
    void instanceMethodIsAnError() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    ModelSpec m() {
                        return input(8).dense(2).loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("a fluent @Model method must be static").inFile(c.sourceFiles().get(0)).onLine(9);
    }

    @Test
    void methodWithParametersIsAnError() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec m(int width) {
                        return input(8).dense(width).loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("a fluent @Model method takes no parameters").inFile(c.sourceFiles().get(0))
                .onLine(9);
    }

    @Test
    void methodNotReturningAModelSpecIsAnError() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static Node m() {
                        return input(8);
                    }
                """);
        assertThat(c).hadErrorContaining("a fluent @Model method returns a kiln.dsl.fluent.ModelSpec")
                .inFile(c.sourceFiles().get(0)).onLine(9);
    }

    @Test
    void twoModelsOfOneNameInAPackageAreAnError() {
        Compilation c = compile("""
                    @Model(data = "mnist")
                    static ModelSpec mlp() {
                        return input(8).dense(2).loss(MSE);
                    }

                    static final class Other {
                        @Model(data = "mnist")
                        static ModelSpec mlp() {
                            return input(8).dense(3).loss(MSE);
                        }
                    }
                """);
        // javac hands over the nested class's method first, so the top-level one is reported.
        assertThat(c).hadErrorContaining("another model in package fl is named Mlp, so both would generate MlpModel:"
                + " rename the method").inFile(c.sourceFiles().get(0)).onLine(9);
    }

    @Test
    void aFluentModelNamedAsAnAnnotatedModelIsAnError() {
        Compilation c = ModelCompiler.compile("fl.Models", FluentModelTest.HEADER + """
                class Models {
                    @Model(data = "mnist")
                    static ModelSpec mlp() {
                        return input(8).dense(2).loss(MSE);
                    }
                }
                @Model(data = "mnist")
                class Mlp {
                    @Input(8) Layer x;
                    @Dense(units = 2) Layer out;
                    @Loss(MSE) Layer loss;
                }
                """);
        assertThat(c).hadErrorContaining("another model in package fl is named Mlp").inFile(c.sourceFiles().get(0))
                .onLine(9);
    }

    @Test
    void trainingDefaultsAreCheckedOnTheMethod() {
        Compilation c = compile("""
                    @Model(data = "mnist", lr = -0.1)
                    static ModelSpec m() {
                        return input(8).dense(2).loss(MSE);
                    }
                """);
        assertThat(c).hadErrorContaining("lr must be a positive number, got -0.1").inFile(c.sourceFiles().get(0)).onLine(8);
    }
}
