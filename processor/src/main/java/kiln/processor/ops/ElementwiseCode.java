package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.processor.codegen.VectorCode;

/** Gradient passes that several element-wise rules share. */
final class ElementwiseCode {
    private ElementwiseCode() {}

    /** dx = dy (a copy) or dx += dy, over n rows of {@code size}. */
    static CodeBlock passThrough(String dy, String dx, int size, boolean overwrite) {
        if (overwrite) return CodeBlock.builder().addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", dy, dx, size).build();
        return VectorCode.flatLoop("n * " + size,
                i -> CodeBlock.of("$L.add($L).intoArray($L, $L);\n", VectorCode.load(dx, i), VectorCode.load(dy, i), dx, i),
                i -> CodeBlock.of("$L[$L] += $L[$L];\n", dx, i, dy, i));
    }
}
