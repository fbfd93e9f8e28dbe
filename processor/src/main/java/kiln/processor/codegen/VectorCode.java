package kiln.processor.codegen;

import static kiln.processor.codegen.Names.F;
import static kiln.processor.codegen.Names.FLOAT_VECTOR;
import static kiln.processor.codegen.Names.VECTOR_OPERATORS;

import com.palantir.javapoet.CodeBlock;
import java.util.function.Function;
import kiln.dsl.Activation;

/**
 * Snippets of Vector API code: activation formulas (vector and scalar forms side by side, so the
 * tail computes exactly what the body does) and the loop skeleton with a scalar tail.
 */
public final class VectorCode {
    private VectorCode() {}

    /**
     * Emits an element-wise loop over {@code [0, len)}: a vector body up to {@code F.loopBound(len)},
     * then a scalar tail. Bodies receive the index variable's name.
     */
    public static CodeBlock flatLoop(String len, Function<String, CodeBlock> vectorBody, Function<String, CodeBlock> scalarBody) {
        return CodeBlock.builder()
                .add("{\n$>")
                .addStatement("int len = $L", len)
                .addStatement("int i = 0")
                .beginControlFlow("for (int bound = $L.loopBound(len); i < bound; i += $L.length())", F, F)
                .add(vectorBody.apply("i"))
                .endControlFlow()
                .beginControlFlow("for (; i < len; i++)")
                .add(scalarBody.apply("i"))
                .endControlFlow()
                .add("$<}\n")
                .build();
    }

    public static CodeBlock load(String array, String index) {
        return CodeBlock.of("$T.fromArray($L, $L, $L)", FLOAT_VECTOR, F, array, index);
    }

    /** f(v) for a FloatVector expression v. */
    public static CodeBlock activate(Activation a, CodeBlock v) {
        return switch (a) {
            case IDENTITY -> v;
            case RELU -> CodeBlock.of("$L.max(0f)", v);
            case TANH -> CodeBlock.of("$L.lanewise($T.TANH)", v, VECTOR_OPERATORS);
            case SIGMOID -> CodeBlock.of("$T.broadcast($L, 1f).div($L.neg().lanewise($T.EXP).add(1f))", FLOAT_VECTOR, F, v,
                    VECTOR_OPERATORS);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    /** f(s) for a float expression s, matching {@link #activate(Activation, CodeBlock)}. */
    public static CodeBlock activateScalar(Activation a, CodeBlock s) {
        return switch (a) {
            case IDENTITY -> s;
            case RELU -> CodeBlock.of("Math.max($L, 0f)", s);
            case TANH -> CodeBlock.of("(float) Math.tanh($L)", s);
            case SIGMOID -> CodeBlock.of("1f / (1f + (float) Math.exp(-$L))", s);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    /** dL/dz from dL/dy (vector {@code d}) and the activation's output (vector {@code y}). */
    public static CodeBlock derivative(Activation a, String d, String y) {
        return switch (a) {
            case IDENTITY -> CodeBlock.of("$L", d);
            case RELU -> CodeBlock.of("$L.blend(0f, $L.compare($T.LE, 0f))", d, y, VECTOR_OPERATORS);
            case TANH -> CodeBlock.of("$L.mul($L.mul($L).neg().add(1f))", d, y, y);
            case SIGMOID -> CodeBlock.of("$L.mul($L.mul($L.neg().add(1f)))", d, y, y);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    /** Scalar form of {@link #derivative}. */
    public static CodeBlock derivativeScalar(Activation a, String d, String y) {
        return switch (a) {
            case IDENTITY -> CodeBlock.of("$L", d);
            case RELU -> CodeBlock.of("$L > 0f ? $L : 0f", y, d);
            case TANH -> CodeBlock.of("$L * (1f - $L * $L)", d, y, y);
            case SIGMOID -> CodeBlock.of("$L * ($L * (1f - $L))", d, y, y);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }
}
