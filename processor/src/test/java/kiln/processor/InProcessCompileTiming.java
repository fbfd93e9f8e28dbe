package kiln.processor;

import static kiln.dsl.Activation.RELU;
import static kiln.dsl.LossKind.SOFTMAX_CROSS_ENTROPY;

import kiln.dsl.fluent.Kiln;
import kiln.dsl.fluent.ModelSpec;
import kiln.processor.runtime.InProcessCompiler;
import kiln.runtime.CompiledModel;

/**
 * Prints how long {@link InProcessCompiler} takes to compile the MNIST MLP: the first compile in
 * this (fresh) JVM, then repeated compiles. A tool to run by hand, not a test:
 * {@code java --add-modules jdk.incubator.vector -cp dsl/target/classes:runtime/target/classes:processor/target/classes:processor/target/test-classes:<javapoet.jar> kiln.processor.InProcessCompileTiming}
 */
public final class InProcessCompileTiming {
    private InProcessCompileTiming() {}

    private static ModelSpec mlp() {
        return Kiln.model("mnistMlp").input(784).named("image")
                .dense(256, RELU).named("hidden1")
                .dense(128, RELU).named("hidden2")
                .dense(10).named("logits")
                .loss(SOFTMAX_CROSS_ENTROPY);
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long start = System.nanoTime();
        try (CompiledModel m = InProcessCompiler.compile(mlp(), 64, 1)) {
            System.out.printf("first compile (fresh JVM): %.0f ms, %s%n", (System.nanoTime() - start) / 1e6, m.getClass().getName());
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            CompiledModel m = InProcessCompiler.compile(mlp(), 64, 1);
            ms[i] = (System.nanoTime() - t) / 1e6;
            m.close();
        }
        java.util.Arrays.sort(ms);
        System.out.printf("repeated compiles (%d): min %.0f ms, median %.0f ms, max %.0f ms%n", repeats, ms[0],
                ms[repeats / 2], ms[repeats - 1]);
    }
}
