package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Axes;
import kiln.ir.Node;
import kiln.ir.SliceOp;
import kiln.processor.codegen.EmitContext;

/**
 * Slice of one axis: per row and per position of the axes before it, a contiguous block of the
 * input is copied; backward puts dL/dy into that block of the input's gradient (and, as the first
 * contribution, zeros the rest).
 */
final class SliceRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        SliceOp op = (SliceOp) node.op();
        Node in = node.inputs().get(0);
        int outer = outer(node), whole = ctx.size(in) / outer, block = ctx.size(node) / outer, offset = offset(node);
        return CodeBlock.builder()
                .add("// $L = $L[$L:$L] along axis $L   (n,$L) -> (n,$L)\n", node.name(), in.name(), op.start(), op.end(),
                        op.axisOf(node), ctx.size(in), ctx.size(node))
                .beginControlFlow("for (int o = 0; o < n * $L; o++)", outer)
                .addStatement("System.arraycopy($L, o * $L + $L, $L, o * $L, $L)", ctx.out(in), whole, offset, ctx.out(node), block, block)
                .endControlFlow()
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        Node in = node.inputs().get(0);
        int outer = outer(node), whole = ctx.size(in) / outer, block = ctx.size(node) / outer, offset = offset(node);
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// dL/d$L $L dL/d$L in the slice$L\n", in.name(), overwrite ? "=" : "+=", node.name(), overwrite ? ", 0 elsewhere" : "");
        if (overwrite) code.addStatement("$T.fill($L, 0, n * $L, 0f)", java.util.Arrays.class, ctx.grad(in), ctx.size(in));
        code.beginControlFlow("for (int o = 0; o < n * $L; o++)", outer)
                .beginControlFlow("for (int j = 0; j < $L; j++)", block)
                .addStatement("$L[o * $L + $L + j] += $L[o * $L + j]", ctx.grad(in), whole, offset, ctx.grad(node), block)
                .endControlFlow()
                .endControlFlow();
        return ctx.writingGradientOf(in, code.build());
    }

    /** Floats per sample before the axis: the blocks are contiguous after it. */
    private static int outer(Node node) {
        return Axes.outer(node.shape(), ((SliceOp) node.op()).axisOf(node));
    }

    /** Where the slice starts within a block: start times the size of the axes after it. */
    private static int offset(Node node) {
        SliceOp op = (SliceOp) node.op();
        int axis = op.axisOf(node), inner = 1;
        for (int a = axis + 1; a < node.shape().rank(); a++) inner *= node.shape().dim(a);
        return op.start() * inner;
    }
}
