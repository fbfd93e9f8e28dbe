/**
 * The fluent DSL: a model written as a chain of Java calls instead of annotated fields, compiled
 * into the same IR and the same generated code.
 *
 * <pre>{@code
 * @Model(data = "mnist", epochs = 5, lr = 0.05, optimizer = "momentum")
 * static ModelSpec mnistMlp() {                 // generates MnistMlpModel and MnistMlpMain
 *     return input(784).named("image")
 *             .dense(256, RELU).named("hidden1")
 *             .dense(128, RELU).named("hidden2")
 *             .dense(10).named("logits")
 *             .loss(SOFTMAX_CROSS_ENTROPY);
 * }
 * }</pre>
 *
 * <p>Ops are methods of {@link kiln.dsl.fluent.Node}, one per IR op: dense, activations, add,
 * convolutions, pooling, flatten, dropout, batch norm, recurrent layers, embeddings; an op with
 * options returns a typed node ({@code DenseNode}, {@code Conv2dNode}, {@code RecurrentNode}, ...)
 * whose options apply to it alone.
 *
 * <p>A chain starts at {@link kiln.dsl.fluent.Kiln#input}, each op returns a {@link
 * kiln.dsl.fluent.Node} to continue from or to keep in a local variable for a branch, and {@code
 * loss(...)} ends it with a finished {@link kiln.dsl.fluent.ModelSpec}: after a loss no layer can
 * be added, and {@code add} takes node handles, so a wrong chain does not compile. Nodes are named
 * by {@code .named("hidden1")} or by default after their op kind and a count ({@code dense1},
 * {@code relu2}); the input is {@code input} and the loss {@code loss}, a model having one of each.
 *
 * <p><b>At build time</b> a static method annotated {@link kiln.dsl.Model @Model} returning a
 * {@code ModelSpec} is read by the Kiln processor from the source tree and evaluated: its body may
 * use literals, compile-time constants (static final fields with constant values), enum values,
 * local variables, arithmetic and string concatenation, {@code for} loops with an int counter, and
 * calls to this package. Anything else is a compile error at that expression. The evaluator calls
 * these same classes, so a chain means the same at build time and at run time.
 *
 * <p><b>At run time</b> {@code kiln.processor.runtime.InProcessCompiler.compile(spec, maxBatch,
 * threads)} (in the kiln-processor artifact) generates the same source and compiles it in-process.
 */
package kiln.dsl.fluent;
