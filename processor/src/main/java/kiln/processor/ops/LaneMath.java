package kiln.processor.ops;

import static kiln.processor.codegen.Names.F;

import com.palantir.javapoet.CodeBlock;
import java.util.function.Function;
import kiln.dsl.Activation;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.VectorCode;

/**
 * Element-wise formulas written once and emitted twice: as Vector API code for the body of a loop
 * over lanes, and as scalar code for its tail, so that both compute the same thing. Operands are
 * local variable names or array loads; each formula step becomes a {@code var} local.
 */
final class LaneMath {
    static final LaneMath VECTOR = new LaneMath(true);
    static final LaneMath SCALAR = new LaneMath(false);

    private final boolean vector;

    private LaneMath(boolean vector) {
        this.vector = vector;
    }

    /**
     * A loop over {@code j} in [0, len): a vector body up to {@code F.loopBound(len)}, then a
     * scalar tail; {@code body} writes one step's statements for the given form.
     */
    static CodeBlock lanes(int len, Function<LaneMath, CodeBlock> body) {
        return CodeBlock.builder()
                .addStatement("int j = 0")
                .beginControlFlow("for (int bound = $L.loopBound($L); j < bound; j += $L.length())", F, len, F)
                .add(body.apply(VECTOR))
                .endControlFlow()
                .beginControlFlow("for (; j < $L; j++)", len)
                .add(body.apply(SCALAR))
                .endControlFlow()
                .build();
    }

    /**
     * A loop over {@code j} in [from, to) (expressions), vector body then scalar tail, as
     * {@link #lanes(int, Function)}.
     */
    static CodeBlock lanes(String from, String to, Function<LaneMath, CodeBlock> body) {
        return CodeBlock.builder()
                .addStatement("int j = $L", from)
                .beginControlFlow("for (int bound = $L + $L.loopBound($L - $L); j < bound; j += $L.length())", from, F, to,
                        from, F)
                .add(body.apply(VECTOR))
                .endControlFlow()
                .beginControlFlow("for (; j < $L; j++)", to)
                .add(body.apply(SCALAR))
                .endControlFlow()
                .build();
    }

    /** {@code array[index]}, or the vector of lanes starting there. */
    CodeBlock load(String array, String index) {
        return vector ? VectorCode.load(array, index) : CodeBlock.of("$L[$L]", array, index);
    }

    /** The statement {@code var name = value;}. */
    CodeBlock let(String name, CodeBlock value) {
        return CodeBlock.of("var $L = $L;\n", name, value);
    }

    /** The statement storing {@code value} (a local's name) at {@code array[index]}. */
    CodeBlock store(String array, String index, String value) {
        return vector ? CodeBlock.of("$L.intoArray($L, $L);\n", value, array, index)
                : CodeBlock.of("$L[$L] = $L;\n", array, index, value);
    }

    CodeBlock add(Object a, Object b) {
        return vector ? CodeBlock.of("$L.add($L)", a, b) : CodeBlock.of("($L + $L)", a, b);
    }

    CodeBlock sub(Object a, Object b) {
        return vector ? CodeBlock.of("$L.sub($L)", a, b) : CodeBlock.of("($L - $L)", a, b);
    }

    CodeBlock mul(Object a, Object b) {
        return vector ? CodeBlock.of("$L.mul($L)", a, b) : CodeBlock.of("($L * $L)", a, b);
    }

    /** 1 - a. */
    CodeBlock oneMinus(Object a) {
        return vector ? CodeBlock.of("$L.neg().add(1f)", a) : CodeBlock.of("(1f - $L)", a);
    }

    /** The statements declaring {@code name} = sigmoid(a). */
    CodeBlock letSigmoid(String name, String a) {
        return vector ? VectorCode.sigmoid(name, CodeBlock.of("$L", a))
                : let(name, VectorCode.activateScalar(Activation.SIGMOID, CodeBlock.of("$L", a)));
    }

    /** The statements declaring {@code name} = tanh(a). */
    CodeBlock letTanh(String name, String a) {
        return vector ? VectorCode.tanh(name, CodeBlock.of("$L", a))
                : let(name, VectorCode.activateScalar(Activation.TANH, CodeBlock.of("$L", a)));
    }

    /** The derivative of sigmoid at output y, y (1 - y). */
    CodeBlock sigmoidSlope(String y) {
        return mul(y, oneMinus(y));
    }

    /** The derivative of tanh at output y, 1 - y^2. */
    CodeBlock tanhSlope(String y) {
        return oneMinus(mul(y, y));
    }
}
