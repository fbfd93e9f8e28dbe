package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.ConcatOp;
import kiln.ir.Axes;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;

/**
 * Concatenation along one axis: per row and per position of the axes before it, each input's
 * contiguous block is copied into its place in the output; backward copies (or adds) the same
 * blocks of dL/dy back into each input's gradient.
 */
final class ConcatRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L = concat($L) along axis $L   (n,$L)\n", node.name(), String.join(", ",
                node.inputs().stream().map(Node::name).toList()), ((ConcatOp) node.op()).axisOf(node), ctx.size(node));
        int outer = outer(node), total = ctx.size(node) / outer, offset = 0;
        for (Node in : node.inputs()) {
            int block = ctx.size(in) / outer;
            code.beginControlFlow("for (int o = 0; o < n * $L; o++)", outer)
                    .addStatement("System.arraycopy($L, o * $L, $L, o * $L + $L, $L)", ctx.out(in), block, ctx.out(node), total, offset, block)
                    .endControlFlow();
            offset += block;
        }
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        CodeBlock.Builder code = CodeBlock.builder();
        int outer = outer(node), total = ctx.size(node) / outer, offset = 0;
        for (int k = 0; k < node.inputs().size(); k++) {
            Node in = node.inputs().get(k);
            int block = ctx.size(in) / outer;
            boolean overwrite = ctx.gradients().overwrites(node, k);
            CodeBlock.Builder one = CodeBlock.builder()
                    .add("// dL/d$L $L its block of dL/d$L\n", in.name(), overwrite ? "=" : "+=", node.name())
                    .beginControlFlow("for (int o = 0; o < n * $L; o++)", outer);
            if (overwrite) {
                one.addStatement("System.arraycopy($L, o * $L + $L, $L, o * $L, $L)", ctx.grad(node), total, offset, ctx.grad(in),
                        block, block);
            } else {
                one.beginControlFlow("for (int j = 0; j < $L; j++)", block)
                        .addStatement("$L[o * $L + j] += $L[o * $L + $L + j]", ctx.grad(in), block, ctx.grad(node), total, offset)
                        .endControlFlow();
            }
            code.add(ctx.writingGradientOf(in, one.endControlFlow().build()));
            offset += block;
        }
        return code.build();
    }

    /** Floats per sample before the axis: the blocks are contiguous after it. */
    private static int outer(Node node) {
        return Axes.outer(node.shape(), ((ConcatOp) node.op()).axisOf(node));
    }
}
