package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Node;
import kiln.ir.Pool2dOp;
import kiln.ir.Shape;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;

/**
 * A max- or average-pool that is not fused into the convolution before it (its input is read
 * elsewhere too, or comes from another op): the runtime's {@code Pooling} over the batch's
 * n x C planes. Max-pool keeps each window's arg-max for backward.
 */
final class Pool2dRule implements OpRule {
    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        if (((Pool2dOp) node.op()).pooling() == Pool2dOp.Kind.MAX) {
            members.ints(Conv2dRule.argmax(node), "arg-max of each " + node.name() + " window within its plane, (B,"
                    + node.shape().size() + ")", node.shape().size());
        }
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        Pool2dOp op = (Pool2dOp) node.op();
        Node in = node.inputs().get(0);
        Shape s = in.shape();
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L = $L($L), $Lx$L windows, stride $L   (n,$L) -> (n,$L)\n", node.name(), op.kind(), in.name(),
                op.kernel(), op.kernel(), op.stride(), Conv2dRule.dims(s), Conv2dRule.dims(node.shape()));
        if (op.pooling() == Pool2dOp.Kind.MAX) {
            code.addStatement("$T.maxForward($L, $L, $L, n * $L, $L, $L, $L, $L)", Names.POOLING, ctx.out(in), ctx.out(node),
                    Conv2dRule.argmax(node), s.dim(0), s.dim(1), s.dim(2), op.kernel(), op.stride());
        } else {
            code.addStatement("$T.avgForward($L, $L, n * $L, $L, $L, $L, $L)", Names.POOLING, ctx.out(in), ctx.out(node),
                    s.dim(0), s.dim(1), s.dim(2), op.kernel(), op.stride());
        }
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        Pool2dOp op = (Pool2dOp) node.op();
        Node in = node.inputs().get(0);
        Shape s = in.shape();
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// dL/d$L $L dL/d$L $L\n", in.name(), overwrite ? "=" : "+=", node.name(),
                op.pooling() == Pool2dOp.Kind.MAX ? "at each window's arg-max" : "spread evenly over each window");
        if (op.pooling() == Pool2dOp.Kind.MAX) {
            code.addStatement("$T.maxBackward($L, $L, $L, $L, n * $L, $L, $L, $L, $L)", Names.POOLING, ctx.grad(node),
                    Conv2dRule.argmax(node), ctx.grad(in), !overwrite, s.dim(0), s.dim(1), s.dim(2), op.kernel(), op.stride());
        } else {
            code.addStatement("$T.avgBackward($L, $L, $L, n * $L, $L, $L, $L, $L)", Names.POOLING, ctx.grad(node),
                    ctx.grad(in), !overwrite, s.dim(0), s.dim(1), s.dim(2), op.kernel(), op.stride());
        }
        return ctx.writingGradientOf(in, code.build());
    }
}
