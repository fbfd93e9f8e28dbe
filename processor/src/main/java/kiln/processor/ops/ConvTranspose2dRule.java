package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.Locale;
import kiln.dsl.Activation;
import kiln.dsl.Init;
import kiln.ir.ConvTranspose2dOp;
import kiln.ir.Node;
import kiln.ir.Shape;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;

/**
 * Transposed convolution, run by the {@code Conv2d} kernel of the adjoint geometry (the
 * convolution from this layer's output back to its input): forward is that convolution's
 * input-gradient product plus bias and activation, backward its forward product (dL/dx) and its
 * weight-gradient product. Parameters: weight [in, out, k, k] and bias [out], as PyTorch.
 */
final class ConvTranspose2dRule implements OpRule {
    @Override
    public void declareParameters(Node node, EmitContext ctx, ModelMembers members) {
        ConvTranspose2dOp op = (ConvTranspose2dOp) node.op();
        int cin = node.inputs().get(0).shape().dim(0), kk = op.kernel() * op.kernel();
        members.param(node, "Weight", ".weight", false, op.init(), cin * kk, op.outChannels() * kk,
                cin, op.outChannels(), op.kernel(), op.kernel());
        if (op.bias()) members.param(node, "Bias", ".bias", true, Init.ZEROS, cin * kk, op.outChannels() * kk, op.outChannels());
    }

    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        ConvTranspose2dOp op = (ConvTranspose2dOp) node.op();
        Shape in = node.inputs().get(0).shape(), out = node.shape();
        members.field(Names.CONV2D, ctx.kernel(node), node.name() + ": transposed convolution " + in + " -> " + out
                        + ", run as the adjoint of the convolution " + out + " -> " + in,
                CodeBlock.of("new $T(pool, $L, $L, $L, $L, $L, $L, $L)", Names.CONV2D, out.dim(0), out.dim(1), out.dim(2),
                        in.dim(0), op.kernel(), op.stride(), op.padding()));
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        ConvTranspose2dOp op = (ConvTranspose2dOp) node.op();
        Node in = node.inputs().get(0);
        Activation act = ctx.fusion().activation(node);
        String affine = "conv_transpose2d(" + in.name() + ", " + node.name() + ".weight, " + op.kernel() + "x" + op.kernel()
                + ", stride " + op.stride() + ", padding " + op.padding() + ")" + (op.bias() ? " + " + node.name() + ".bias" : "");
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L = $L   (n,$L) -> (n,$L)\n", ctx.fusion().resultOf(node).name(),
                act == Activation.IDENTITY ? affine : act.name().toLowerCase(Locale.ROOT) + "(" + affine + ")",
                Conv2dRule.dims(in.shape()), Conv2dRule.dims(node.shape()));
        code.addStatement("$L.transposedForward($L, $L.value, $L, $T.$L, $L, n)", ctx.kernel(node), ctx.out(in),
                ctx.param(node, "Weight"), op.bias() ? ctx.param(node, "Bias") + ".value" : "null", Names.ACTIVATION, act,
                ctx.out(node));
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        ConvTranspose2dOp op = (ConvTranspose2dOp) node.op();
        Node in = node.inputs().get(0);
        Node result = ctx.fusion().resultOf(node);
        Activation act = ctx.fusion().activation(node);
        if (ctx.fusion().seedsPreActivation(result)) act = Activation.IDENTITY;
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L backward: dZ = dL/d$L$L; $L gradients; dL/d$L $L conv2d(dZ)\n", node.name(), result.name(),
                act == Activation.IDENTITY ? "" : " * " + act.name().toLowerCase(Locale.ROOT) + "'",
                op.bias() ? "weight and bias" : "weight", in.name(), overwrite ? "=" : "+=");
        code.addStatement("$L.transposedBackward($L, $L.value, $L, $L, $T.$L, $L.grad, $L, $L, $L, n)", ctx.kernel(node),
                ctx.out(in), ctx.param(node, "Weight"), ctx.out(node), ctx.grad(node), Names.ACTIVATION, act,
                ctx.param(node, "Weight"), op.bias() ? ctx.param(node, "Bias") + ".grad" : "null", ctx.gradientOrNull(in),
                !overwrite);
        return code.build();
    }
}
