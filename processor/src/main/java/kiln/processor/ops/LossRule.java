package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.Locale;
import kiln.dsl.LossKind;
import kiln.ir.Graph;
import kiln.ir.LossOp;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;

/**
 * Loss terms, each emitted as one block of {@code lossPass(Batch batch, boolean seedGradient)}:
 * the term's value into {@code lossTerms[k]}, its weighted share of the total, and (when seeding)
 * its gradient with respect to what it scores and to a target node, in the same pass, scaled by
 * its weight over its reduction's count. Softmax cross-entropy computes the softmax, the loss and
 * its gradient (softmax - one_hot) row by row; binary cross-entropy on a sigmoid that nothing else
 * reads seeds the pre-sigmoid gradient (y - t) directly; the KL term writes the gradients of its
 * Gaussian's mean and log-variance. A target that is a node or an input gets its gradient too, as
 * autodiff through both uses of it gives (an input's only when input gradients are asked for).
 */
public final class LossRule {
    private LossRule() {}

    /** The buffer predict() returns when it differs from the output (softmax or sigmoid applied). */
    public static final String PROBS = "probsOut";

    /** The kind of the term that scores the prediction, or null. */
    private static LossKind predictionLoss(Graph g) {
        for (Node l : g.losses()) if (l.inputs().get(0) == g.output()) return ((LossOp) l.op()).loss();
        return null;
    }

    /** Whether predictions turn logits into probabilities (a softmax or sigmoid the loss owns). */
    public static boolean needsProbabilities(EmitContext ctx) {
        LossKind k = predictionLoss(ctx.graph());
        return k == LossKind.SOFTMAX_CROSS_ENTROPY || k == LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS;
    }

    /** What the data's targets are, as the name of a {@code TargetKind} constant. */
    public static String targetKind(Graph g) {
        LossKind k = g.lossKind();
        if (k == null) return "NONE";
        return switch (k) {
            case SOFTMAX_CROSS_ENTROPY -> "CLASS_INDEX";
            case BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_WITH_LOGITS -> "BINARY";
            default -> "REGRESSION";
        };
    }

    /** The buffer predictions() returns. */
    public static String predictionBuffer(EmitContext ctx) {
        return needsProbabilities(ctx) ? PROBS : ctx.out(ctx.graph().output());
    }

    /** Emits term {@code k}, the loss node {@code loss}. */
    public static CodeBlock term(Node loss, int k, EmitContext ctx) {
        LossOp op = (LossOp) loss.op();
        Node scored = loss.inputs().get(0);
        Node target = loss.inputs().size() > 1 ? loss.inputs().get(1) : null;
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// term $L, $L: $L of $L$L, $L, weight $L\n", k, loss.name(), op.loss().name().toLowerCase(Locale.ROOT),
                scored.name(), target == null ? (op.loss().hasTarget() ? " against the data" : "") : " against " + target.name(),
                op.effectiveReduction().name().toLowerCase(Locale.ROOT), op.weight());
        code.add("{\n$>");
        if (op.loss() == LossKind.SOFTMAX_CROSS_ENTROPY && scored.shape().rank() == 2) {
            code.add(SequenceCrossEntropy.term(loss, ctx));
        } else {
            code.add(elementwise(loss, ctx));
        }
        code.addStatement("lossTerms[$L] = value", k);
        if (op.weight() == 1) code.addStatement("total += value");
        else code.addStatement("total += $L * value", op.weight());
        code.add("$<}\n");
        return code.build();
    }

    /** The term's divisor: the elements (rows, for cross-entropy), the batch, or 1. */
    static String count(LossOp op, String elements) {
        return switch (op.effectiveReduction()) {
            case MEAN -> elements;
            case BATCH_MEAN -> "n";
            case SUM -> "1";
            case DEFAULT -> throw new AssertionError();
        };
    }

    /** "=" for the first gradient written into a buffer, "+=" after. */
    static String assign(EmitContext ctx, Node loss, int target) {
        return ctx.gradients().overwrites(loss, target) ? "=" : "+=";
    }

    private static CodeBlock elementwise(Node loss, EmitContext ctx) {
        LossOp op = (LossOp) loss.op();
        Node scored = loss.inputs().get(0);
        Node target = loss.inputs().size() > 1 ? loss.inputs().get(1) : null;
        int size = ctx.size(scored);
        String y = ctx.out(scored), dy = ctx.grad(scored);
        String t = target == null ? "batch.targets" : ctx.out(target);
        String dt = target == null ? null : ctx.grad(target);
        boolean seedTarget = target != null && !(ctx.isModelInput(target)
                && ctx.graph().kindOf(ctx.fusion().resultOf(target)) == kiln.dsl.InputKind.TOKENS);
        String targetCondition = target != null && ctx.isModelInput(target) ? "seedGradient && computeInputGradients" : "seedGradient";
        String gy = assign(ctx, loss, 0), gt = target == null ? null : assign(ctx, loss, 1);
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("double value = 0");
        String elements = op.loss() == LossKind.SOFTMAX_CROSS_ENTROPY ? "n" : "n * " + size;
        code.addStatement("float scale = $Lf / ($L)", (float) op.weight(), count(op, elements));
        switch (op.loss()) {
            case SOFTMAX_CROSS_ENTROPY -> {
                code.add("// per row: logsumexp(z) - z[label]; gradient (softmax(z) - one_hot(label)) * scale\n");
                code.beginControlFlow("for (int r = 0; r < n; r++)");
                code.addStatement("int row = r * $L", size);
                code.addStatement("int label = $T.checkIndex(batch.labels[r], $L)", java.util.Objects.class, size);
                code.add(Softmax.rowMaxAndSum(y, PROBS, size));
                code.addStatement("value += max + Math.log(sum) - $L[row + label]", y);
                code.beginControlFlow("if (seedGradient)");
                code.addStatement("float inv = scale / sum");
                code.beginControlFlow("for (int k = 0; k < $L; k++)", size);
                code.addStatement("$L[row + k] $L $L[row + k] * inv", dy, gy, PROBS);
                code.endControlFlow();
                code.addStatement("$L[row + label] -= scale", dy);
                code.endControlFlow();
                code.endControlFlow();
            }
            case MSE, MSE_SUM -> {
                code.add("// (y - t)^2; gradient 2 (y - t) * scale, and its negative for a target node\n");
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float diff = $L[i] - $L[i]", y, t);
                code.addStatement("value += diff * diff");
                code.addStatement("if (seedGradient) $L[i] $L 2f * diff * scale", dy, gy);
                if (seedTarget) code.addStatement("if ($L) $L[i] $L -2f * diff * scale", targetCondition, dt, gt);
                code.endControlFlow();
            }
            case BINARY_CROSS_ENTROPY -> {
                boolean pre = ctx.fusion().seedsPreActivation(ctx.fusion().resultOf(scored));
                code.add("// -(t log y + (1 - t) log(1 - y)), logs clamped at -100 as PyTorch does;\n");
                code.add(pre ? "// seeds the gradient before the sigmoid: (y - t) * scale\n"
                        : "// gradient (y - t) / (y (1 - y)) * scale; -(log y - log(1 - y)) * scale for a target node\n");
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float p = $L[i]", y);
                code.addStatement("float tv = $L[i]", t);
                code.addStatement("double logP = Math.max(Math.log(p), -100.0), logQ = Math.max(Math.log(1 - p), -100.0)");
                code.addStatement("value -= tv * logP + (1 - tv) * logQ");
                if (pre) {
                    code.addStatement("if (seedGradient) $L[i] $L (p - tv) * scale", dy, gy);
                } else {
                    code.addStatement("if (seedGradient) $L[i] $L (p - tv) / Math.max(p * (1 - p), 1e-12f) * scale", dy, gy);
                }
                if (seedTarget) code.addStatement("if ($L) $L[i] $L (float) -(logP - logQ) * scale", targetCondition, dt, gt);
                code.endControlFlow();
            }
            case BINARY_CROSS_ENTROPY_WITH_LOGITS -> {
                code.add("// max(z, 0) - z t + log(1 + exp(-|z|)): stable for any z; gradient (sigmoid(z) - t) * scale,"
                        + " -z * scale for a target node\n");
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float z = $L[i]", y);
                code.addStatement("float tv = $L[i]", t);
                code.addStatement("value += Math.max(z, 0f) - z * tv + Math.log1p(Math.exp(-Math.abs(z)))");
                code.addStatement("if (seedGradient) $L[i] $L (1f / (1f + (float) Math.exp(-z)) - tv) * scale", dy, gy);
                if (seedTarget) code.addStatement("if ($L) $L[i] $L -z * scale", targetCondition, dt, gt);
                code.endControlFlow();
            }
            case KL_DIVERGENCE -> {
                Node mean = scored.inputs().get(0), logVariance = scored.inputs().get(1);
                String mu = ctx.out(mean), lv = ctx.out(logVariance);
                code.add("// -0.5 (1 + logvar - mu^2 - exp(logvar)); gradients mu * scale and 0.5 (exp(logvar) - 1) * scale\n");
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float m = $L[i], v = $L[i], e = (float) Math.exp(v)", mu, lv);
                code.addStatement("value += -0.5 * (1 + v - m * m - e)");
                code.beginControlFlow("if (seedGradient)");
                code.addStatement("$L[i] $L m * scale", ctx.grad(mean), assign(ctx, loss, 0));
                code.addStatement("$L[i] $L 0.5f * (e - 1f) * scale", ctx.grad(logVariance), assign(ctx, loss, 1));
                code.endControlFlow();
                code.endControlFlow();
            }
            case L1_ACTIVITY -> {
                code.add("// |x|; gradient sign(x) * scale\n");
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float x = $L[i]", y);
                code.addStatement("value += Math.abs(x)");
                code.addStatement("if (seedGradient) $L[i] $L Math.signum(x) * scale", dy, gy);
                code.endControlFlow();
            }
            case L2_ACTIVITY -> {
                code.add("// x^2; gradient 2 x * scale\n");
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float x = $L[i]", y);
                code.addStatement("value += x * x");
                code.addStatement("if (seedGradient) $L[i] $L 2f * x * scale", dy, gy);
                code.endControlFlow();
            }
        }
        code.addStatement("value /= $L", count(op, elements));
        return code.build();
    }

    /** In predictions(): turns the prediction into probabilities in {@link #PROBS} where its loss owns an activation. */
    public static CodeBlock predictions(EmitContext ctx) {
        Graph g = ctx.graph();
        Node out = g.output();
        String y = ctx.out(out);
        int size = ctx.size(out);
        LossKind k = predictionLoss(g);
        if (k == LossKind.SOFTMAX_CROSS_ENTROPY && out.shape().rank() == 2) return SequenceCrossEntropy.predictions(ctx);
        if (k == LossKind.SOFTMAX_CROSS_ENTROPY) return Softmax.rows(y, PROBS, size);
        if (k == LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS) {
            return CodeBlock.builder()
                    .beginControlFlow("for (int i = 0; i < n * $L; i++)", size)
                    .addStatement("$L[i] = 1f / (1f + (float) Math.exp(-$L[i]))", PROBS, y)
                    .endControlFlow()
                    .build();
        }
        return CodeBlock.of("");
    }
}
