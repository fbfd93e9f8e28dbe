package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Node;
import kiln.ir.Shape;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.Names;

/** Global average pooling: each of the n x C planes to its mean; backward spreads dL/dy / (H W) over the plane. */
final class GlobalAvgPoolRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        Node in = node.inputs().get(0);
        Shape s = in.shape();
        return CodeBlock.builder()
                .add("// $L = mean of each channel of $L   (n,$L) -> (n,$L)\n", node.name(), in.name(), Conv2dRule.dims(s), s.dim(0))
                .addStatement("$T.globalAverage($L, $L, n * $L, $L)", Names.POOLING, ctx.out(in), ctx.out(node), s.dim(0),
                        s.dim(1) * s.dim(2))
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        Node in = node.inputs().get(0);
        Shape s = in.shape();
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        return ctx.writingGradientOf(in, CodeBlock.builder()
                .add("// dL/d$L $L dL/d$L / $L on every position of its channel\n", in.name(), overwrite ? "=" : "+=",
                        node.name(), s.dim(1) * s.dim(2))
                .addStatement("$T.globalAverageBackward($L, $L, $L, n * $L, $L)", Names.POOLING, ctx.grad(node), ctx.grad(in),
                        !overwrite, s.dim(0), s.dim(1) * s.dim(2))
                .build());
    }
}
