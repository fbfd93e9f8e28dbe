package kiln.processor.ops;

import static kiln.processor.codegen.Names.F;
import static kiln.processor.codegen.Names.VECTOR_OPERATORS;

import com.palantir.javapoet.CodeBlock;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.VectorCode;

/**
 * Row-wise softmax code, shared by the softmax node, the cross-entropy loss and predict():
 * subtract the row max (so exp never overflows), exponentiate, normalise.
 */
public final class Softmax {
    private Softmax() {}

    /** Emits a loop over rows {@code r < n} writing softmax(src row) into dst, rows of {@code size}. */
    public static CodeBlock rows(String src, String dst, int size) {
        return CodeBlock.builder()
                .beginControlFlow("for (int r = 0; r < n; r++)")
                .addStatement("int row = r * $L", size)
                .add(rowMaxAndSum(src, dst, size))
                .addStatement("float inv = 1f / sum")
                .add(scaleRow(dst, size, "inv"))
                .endControlFlow()
                .build();
    }

    /**
     * For the row at {@code row}: {@code max} = its largest value, {@code dst} = exp(src - max)
     * and {@code sum} = their total. Declares the locals max and sum.
     */
    public static CodeBlock rowMaxAndSum(String src, String dst, int size) {
        return CodeBlock.builder()
                .addStatement("float max = Float.NEGATIVE_INFINITY")
                .addStatement("int j = 0")
                .beginControlFlow("for (int bound = $L.loopBound($L); j < bound; j += $L.length())", F, size, F)
                .addStatement("max = Math.max(max, $L.reduceLanes($T.MAX))", VectorCode.load(src, "row + j"), VECTOR_OPERATORS)
                .endControlFlow()
                .beginControlFlow("for (; j < $L; j++)", size)
                .addStatement("max = Math.max(max, $L[row + j])", src)
                .endControlFlow()
                .addStatement("var sums = $T.zero($L)", Names.FLOAT_VECTOR, F)
                .addStatement("j = 0")
                .beginControlFlow("for (int bound = $L.loopBound($L); j < bound; j += $L.length())", F, size, F)
                .add(VectorCode.exp("e", CodeBlock.of("$L.sub(max)", VectorCode.load(src, "row + j"))))
                .addStatement("e.intoArray($L, row + j)", dst)
                .addStatement("sums = sums.add(e)")
                .endControlFlow()
                .addStatement("float sum = $T.sum(sums)", Names.VECTOR_MATH)
                .beginControlFlow("for (; j < $L; j++)", size)
                .addStatement("float e = (float) Math.exp($L[row + j] - max)", src)
                .addStatement("$L[row + j] = e", dst)
                .addStatement("sum += e")
                .endControlFlow()
                .build();
    }

    /** dst[row + j] *= factor over the row. */
    public static CodeBlock scaleRow(String dst, int size, String factor) {
        return CodeBlock.builder()
                .addStatement("int k = 0")
                .beginControlFlow("for (int bound = $L.loopBound($L); k < bound; k += $L.length())", F, size, F)
                .addStatement("$L.mul($L).intoArray($L, row + k)", VectorCode.load(dst, "row + k"), factor, dst)
                .endControlFlow()
                .beginControlFlow("for (; k < $L; k++)", size)
                .addStatement("$L[row + k] *= $L", dst, factor)
                .endControlFlow()
                .build();
    }
}
