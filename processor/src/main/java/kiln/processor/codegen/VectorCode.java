package kiln.processor.codegen;

import static kiln.processor.codegen.Names.F;
import static kiln.processor.codegen.Names.FLOAT_VECTOR;
import static kiln.processor.codegen.Names.VECTOR_OPERATORS;

import com.palantir.javapoet.ClassName;
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

    /**
     * Statements storing f(v) at {@code array[index]} for a FloatVector expression v; tanh and
     * sigmoid are written out ({@link #tanh}, {@link #sigmoid}) in a block of their own.
     */
    public static CodeBlock activateInto(Activation a, CodeBlock v, String array, String index) {
        return switch (a) {
            case IDENTITY -> CodeBlock.of("$L.intoArray($L, $L);\n", v, array, index);
            case RELU -> CodeBlock.of("$L.max(0f).intoArray($L, $L);\n", v, array, index);
            case TANH, SIGMOID -> CodeBlock.builder().add("{\n$>")
                    .add(a == Activation.TANH ? tanh("act", v) : sigmoid("act", v))
                    .addStatement("act.intoArray($L, $L)", array, index)
                    .add("$<}\n").build();
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    /**
     * Statements declaring the local {@code out} = e^x per lane, written out exactly as
     * {@code VectorMath.exp} computes it: the same bits interpreted and compiled, and no call that
     * C2 might decline to inline into a large generated method (then every vector would box).
     * Declares helper locals named {@code out} + a suffix.
     */
    public static CodeBlock exp(String out, CodeBlock x) {
        ClassName m = Names.VECTOR_MATH;
        return CodeBlock.builder()
                .addStatement("var $LX = $L", out, x)
                .addStatement("var $LC = $LX.max($T.EXP_MIN).min($T.EXP_MAX)", out, out, m, m)
                .addStatement("var $LT = $LC.fma($T.LOG2E, $T.ROUND)", out, out, m, m)
                .addStatement("var $LN = $LT.sub($T.ROUND)", out, out, m)
                .addStatement("var $LR = $LN.lanewise($T.FMA, -$T.LN2_HI, $LC)", out, out, VECTOR_OPERATORS, m, out)
                .addStatement("$LR = $LN.lanewise($T.FMA, -$T.LN2_LO, $LR)", out, out, VECTOR_OPERATORS, m, out)
                .addStatement("var $LP = $LR.fma($T.P0, $T.P1).fma($LR, $L)", out, out, m, m, out, broadcast(m, "P2"))
                .addStatement("$LP = $LP.fma($LR, $L).fma($LR, $L).fma($LR, $L)", out, out, out, broadcast(m, "P3"), out,
                        broadcast(m, "P4"), out, broadcast(m, "P5"))
                .addStatement("var $L = $LP.fma($LR.mul($LR), $LR).add(1f).mul((($T) $LT.reinterpretAsInts()).sub($T.ROUND_BITS_UNBIASED)"
                                + ".lanewise($T.LSHL, 23).reinterpretAsFloats()).blend(0f, $LX.compare($T.LT, $T.EXP_MIN))",
                        out, out, out, out, out, Names.INT_VECTOR, out, m, VECTOR_OPERATORS, out, VECTOR_OPERATORS, m)
                .build();
    }

    /** Statements declaring {@code out} = 1 / (1 + e^-x) per lane, as {@code VectorMath.sigmoid}. */
    public static CodeBlock sigmoid(String out, CodeBlock x) {
        return CodeBlock.builder()
                .add(exp(out + "E", CodeBlock.of("$L.neg()", x)))
                .addStatement("var $L = $T.broadcast($L, 1f).div($LE.add(1f))", out, FLOAT_VECTOR, F, out)
                .build();
    }

    /** Statements declaring {@code out} = tanh(x) per lane, as {@code VectorMath.tanh}. */
    public static CodeBlock tanh(String out, CodeBlock x) {
        ClassName m = Names.VECTOR_MATH;
        return CodeBlock.builder()
                .addStatement("var $LIn = $L", out, x)
                .addStatement("var $LA = $LIn.abs()", out, out)
                .add(exp(out + "E", CodeBlock.of("$LA.mul(2f)", out)))
                .addStatement("var $LL = $T.broadcast($L, 1f).sub($T.broadcast($L, 2f).div($LE.add(1f)))", out, FLOAT_VECTOR, F,
                        FLOAT_VECTOR, F, out)
                .addStatement("$LL = $LL.blend($LL.neg(), $LIn.compare($T.LT, 0f))", out, out, out, out, VECTOR_OPERATORS)
                .addStatement("var $LS = $LIn.mul($LIn)", out, out, out)
                .addStatement("var $LQ = $LS.fma($T.T0, $T.T1).fma($LS, $L).fma($LS, $L).fma($LS, $L)", out, out, m, m, out,
                        broadcast(m, "T2"), out, broadcast(m, "T3"), out, broadcast(m, "T4"))
                .addStatement("var $L = $LL.blend($LQ.mul($LS).fma($LIn, $LIn), $LA.compare($T.LT, $T.TANH_SMALL))", out, out, out,
                        out, out, out, out, VECTOR_OPERATORS, m)
                .build();
    }

    private static CodeBlock broadcast(ClassName constants, String name) {
        return CodeBlock.of("$T.broadcast($L, $T.$L)", FLOAT_VECTOR, F, constants, name);
    }

    /** f(s) for a float expression s, as {@link #activateInto} computes it for vectors. */
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
