package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.Locale;
import kiln.dsl.Activation;
import kiln.dsl.Init;
import kiln.ir.Conv2dOp;
import kiln.ir.Node;
import kiln.ir.Pool2dOp;
import kiln.ir.Shape;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;

/**
 * Convolution: one call to the layer's {@code Conv2d} kernel each way. Forward computes
 * convolution, bias and activation in one pass, and a following max-pool too when fusion folds it
 * in (the pre-pool map is never stored; the pool's arg-max is). Backward computes, per image,
 * dZ = dL/dy (through the arg-max) * act'(y), then the bias, weight and input gradients from it.
 * Parameters: weight [out, in, k, k] (fan-in in k k) and bias [out], as PyTorch.
 */
final class Conv2dRule implements OpRule {
    @Override
    public void declareParameters(Node node, EmitContext ctx, ModelMembers members) {
        Conv2dOp op = (Conv2dOp) node.op();
        int cin = node.inputs().get(0).shape().dim(0), kk = op.kernel() * op.kernel();
        members.param(node, "Weight", ".weight", false, op.init(), cin * kk, op.outChannels() * kk,
                op.outChannels(), cin, op.kernel(), op.kernel());
        if (op.bias()) members.param(node, "Bias", ".bias", true, Init.ZEROS, cin * kk, op.outChannels() * kk, op.outChannels());
    }

    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        Conv2dOp op = (Conv2dOp) node.op();
        Shape in = node.inputs().get(0).shape();
        Node pool = ctx.fusion().poolOf(node);
        CodeBlock geometry = CodeBlock.of("pool, $L, $L, $L, $L, $L, $L, $L", in.dim(0), in.dim(1), in.dim(2),
                op.outChannels(), op.kernel(), op.stride(), op.padding());
        if (pool == null) {
            members.field(Names.CONV2D, ctx.kernel(node), node.name() + ": " + describe(node, op) + " " + in + " -> " + node.shape(),
                    CodeBlock.of("new $T($L)", Names.CONV2D, geometry));
            return;
        }
        Pool2dOp p = (Pool2dOp) pool.op();
        members.field(Names.CONV2D, ctx.kernel(node), node.name() + ": " + describe(node, op) + " " + in + " -> " + node.shape()
                        + ", then " + pool.name() + ": " + p.kernel() + "x" + p.kernel() + " max-pool, stride " + p.stride()
                        + " -> " + pool.shape(),
                CodeBlock.of("new $T($L, $L, $L)", Names.CONV2D, geometry, p.kernel(), p.stride()));
        members.ints(argmax(pool), "arg-max of each " + pool.name() + " window, as an index into " + node.name()
                + "'s output grid, (B," + pool.shape().size() + ")", pool.shape().size());
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        Conv2dOp op = (Conv2dOp) node.op();
        Node in = node.inputs().get(0);
        Node pool = ctx.fusion().poolOf(node);
        Activation act = ctx.fusion().activation(node);
        String affine = "conv2d(" + in.name() + ", " + node.name() + ".weight, " + describe(node, op) + ")"
                + (op.bias() ? " + " + node.name() + ".bias" : "");
        String value = act == Activation.IDENTITY ? affine : act.name().toLowerCase(Locale.ROOT) + "(" + affine + ")";
        CodeBlock.Builder code = CodeBlock.builder();
        if (pool == null) {
            code.add("// $L = $L   (n,$L) -> (n,$L)\n", ctx.fusion().resultOf(node).name(), value, dims(in.shape()), dims(node.shape()));
        } else {
            code.add("// $L = max-pool($L)   (n,$L) -> (n,$L) -> (n,$L)\n", pool.name(), value, dims(in.shape()),
                    dims(node.shape()), dims(pool.shape()));
        }
        code.addStatement("$L.forward($L, $L.value, $L, $T.$L, $L, $L, n)", ctx.kernel(node), ctx.out(in),
                ctx.param(node, "Weight"), op.bias() ? ctx.param(node, "Bias") + ".value" : "null", Names.ACTIVATION, act,
                ctx.out(node), pool == null ? "null" : argmax(pool));
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        Conv2dOp op = (Conv2dOp) node.op();
        Node in = node.inputs().get(0);
        Node result = ctx.fusion().resultOf(node);
        Node pool = ctx.fusion().poolOf(node);
        Activation act = ctx.fusion().activation(node);
        if (ctx.fusion().seedsPreActivation(result)) act = Activation.IDENTITY;
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L backward: dZ = dL/d$L$L$L; $L gradients; dL/d$L $L conv2d^T(dZ)\n", node.name(), result.name(),
                pool == null ? "" : " at each window's arg-max",
                act == Activation.IDENTITY ? "" : " * " + act.name().toLowerCase(Locale.ROOT) + "'",
                op.bias() ? "weight and bias" : "weight", in.name(), overwrite ? "=" : "+=");
        code.addStatement("$L.backward($L, $L.value, $L, $L, $L, $T.$L, $L.grad, $L, $L, $L, n)", ctx.kernel(node), ctx.out(in),
                ctx.param(node, "Weight"), ctx.out(node), ctx.grad(node), pool == null ? "null" : argmax(pool), Names.ACTIVATION,
                act, ctx.param(node, "Weight"), op.bias() ? ctx.param(node, "Bias") + ".grad" : "null", ctx.gradientOrNull(in),
                !overwrite);
        return code.build();
    }

    static String argmax(Node pool) {
        return Names.identifier(pool.name()) + "Argmax";
    }

    private static String describe(Node node, Conv2dOp op) {
        return op.kernel() + "x" + op.kernel() + ", stride " + op.stride() + ", padding " + op.padding();
    }

    /** A per-sample shape for comments: {@code 1,28,28}. */
    static String dims(Shape s) {
        return s.toString().replace("[", "").replace("]", "").replace(" ", "");
    }
}
