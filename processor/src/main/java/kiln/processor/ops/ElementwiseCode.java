package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.processor.codegen.VectorCode;

/** Gradient passes that several element-wise rules share. */
final class ElementwiseCode {
    private ElementwiseCode() {}

    /**
     * The backward of a mask drawn in training (dropout, masking noise): dx (+)= dy * mask * scale
     * when {@code active} says the last forward drew it, else dx (+)= dy.
     */
    static CodeBlock maskedGradient(String active, String dy, String mask, float scale, String dx, int size, boolean overwrite) {
        String times = scale == 1f ? "" : ".mul(" + scale + "f)";
        String scalarTimes = scale == 1f ? "" : " * " + scale + "f";
        return CodeBlock.builder()
                .beginControlFlow("if ($L)", active)
                .add(VectorCode.flatLoop("n * " + size,
                        i -> {
                            CodeBlock g = CodeBlock.of("$L.mul($L)$L", VectorCode.load(dy, i), VectorCode.load(mask, i), times);
                            return overwrite
                                    ? CodeBlock.of("$L.intoArray($L, $L);\n", g, dx, i)
                                    : CodeBlock.of("$L.add($L).intoArray($L, $L);\n", VectorCode.load(dx, i), g, dx, i);
                        },
                        i -> CodeBlock.of("$L[$L] $L $L[$L] * $L[$L]$L;\n", dx, i, overwrite ? "=" : "+=", dy, i, mask, i, scalarTimes)))
                .nextControlFlow("else")
                .add(passThrough(dy, dx, size, overwrite))
                .endControlFlow()
                .build();
    }

    /** dx = dy (a copy) or dx += dy, over n rows of {@code size}. */
    static CodeBlock passThrough(String dy, String dx, int size, boolean overwrite) {
        if (overwrite) return CodeBlock.builder().addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", dy, dx, size).build();
        return VectorCode.flatLoop("n * " + size,
                i -> CodeBlock.of("$L.add($L).intoArray($L, $L);\n", VectorCode.load(dx, i), VectorCode.load(dy, i), dx, i),
                i -> CodeBlock.of("$L[$L] += $L[$L];\n", dx, i, dy, i));
    }
}
