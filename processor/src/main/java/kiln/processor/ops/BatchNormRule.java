package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.Locale;
import kiln.dsl.Activation;
import kiln.dsl.Init;
import kiln.ir.BatchNormOp;
import kiln.ir.Node;
import kiln.ir.Shape;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;

/**
 * Batch normalisation and its activation, one call to the layer's {@code BatchNorm} kernel each
 * way; the kernel keeps the last forward's per-channel mean and 1/std. Training mode normalises
 * by batch statistics (and updates the running statistics, except in predict), inference mode by
 * the running statistics. Parameters weight (ones) and bias (zeros) [C]; state running_mean
 * (zeros) and running_var (ones) [C], as PyTorch names them.
 */
final class BatchNormRule implements OpRule {
    @Override
    public void declareParameters(Node node, EmitContext ctx, ModelMembers members) {
        int c = channels(node);
        members.param(node, "Weight", ".weight", false, Init.ONES, c, c, c);
        members.param(node, "Bias", ".bias", true, Init.ZEROS, c, c, c);
        members.state(node, "RunningMean", ".running_mean", 0f, "running mean, used in inference", c);
        members.state(node, "RunningVar", ".running_var", 1f, "running (unbiased) variance, used in inference", c);
    }

    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        BatchNormOp op = (BatchNormOp) node.op();
        members.field(Names.BATCH_NORM, ctx.kernel(node), node.name() + ": batch norm over " + channels(node) + " channels of "
                        + spatial(node) + " positions",
                CodeBlock.of("new $T(pool, $L, $L, $L, $L)", Names.BATCH_NORM, channels(node), spatial(node), op.momentum(), op.eps()));
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        Node in = node.inputs().get(0);
        Activation act = ctx.fusion().activation(node);
        String norm = "batch_norm(" + in.name() + ") * " + node.name() + ".weight + " + node.name() + ".bias";
        return CodeBlock.builder()
                .add("// $L = $L, by batch statistics in training, running statistics in inference   (n,$L)\n",
                        ctx.fusion().resultOf(node).name(),
                        act == Activation.IDENTITY ? norm : act.name().toLowerCase(Locale.ROOT) + "(" + norm + ")",
                        Conv2dRule.dims(node.shape()))
                .addStatement("$L.forward($L, $L.value, $L.value, $L.value, $L.value, $T.$L, $L, n, isTraining(), updateStatistics)",
                        ctx.kernel(node), ctx.out(in), ctx.param(node, "Weight"), ctx.param(node, "Bias"),
                        ctx.param(node, "RunningMean"), ctx.param(node, "RunningVar"), Names.ACTIVATION, act, ctx.out(node))
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        Node in = node.inputs().get(0);
        Node result = ctx.fusion().resultOf(node);
        Activation act = ctx.fusion().activation(node);
        if (ctx.fusion().seedsPreActivation(result)) act = Activation.IDENTITY;
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        return CodeBlock.builder()
                .add("// $L backward: dZ = dL/d$L$L (in place); weight and bias gradients; dL/d$L $L\n", node.name(),
                        result.name(), act == Activation.IDENTITY ? "" : " * " + act.name().toLowerCase(Locale.ROOT) + "'",
                        in.name(), overwrite ? "=" : "+=")
                .addStatement("$L.backward($L, $L, $L, $T.$L, $L.value, $L.grad, $L.grad, $L, $L, n)", ctx.kernel(node),
                        ctx.out(in), ctx.out(node), ctx.grad(node), Names.ACTIVATION, act, ctx.param(node, "Weight"),
                        ctx.param(node, "Weight"), ctx.param(node, "Bias"), ctx.gradientOrNull(in), !overwrite)
                .build();
    }

    private static int channels(Node node) {
        return node.shape().dim(0);
    }

    /** Positions per channel: H x W for an image, 1 for a vector. */
    private static int spatial(Node node) {
        Shape s = node.shape();
        return s.size() / s.dim(0);
    }
}
