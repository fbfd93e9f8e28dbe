package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.dsl.LossKind;
import kiln.ir.Graph;
import kiln.processor.codegen.EmitContext;

/**
 * Losses, emitted as the body of {@code lossImpl(Batch batch, boolean seedGradient)}: the mean
 * loss over the batch, and (when seeding) dL/d(output) in the same pass. Softmax cross-entropy
 * computes the softmax, the loss and its gradient (softmax - one_hot) / n row by row; binary
 * cross-entropy on a sigmoid seeds the pre-sigmoid gradient (y - t) / count directly.
 */
public final class LossRule {
    private LossRule() {}

    /** The name of the buffer predict() returns when it differs from the output (softmax/sigmoid applied). */
    public static final String PROBS = "probsOut";

    public static boolean needsProbabilities(LossKind loss) {
        return loss == LossKind.SOFTMAX_CROSS_ENTROPY || loss == LossKind.BINARY_CROSS_ENTROPY_WITH_LOGITS;
    }

    public static CodeBlock lossBody(EmitContext ctx) {
        Graph g = ctx.graph();
        if (SequenceCrossEntropy.appliesTo(g)) return SequenceCrossEntropy.lossBody(ctx);
        String y = ctx.out(g.output());
        String dy = ctx.grad(g.output());
        int size = ctx.size(g.output());
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("int n = batch.size");
        code.addStatement("checkRows(n)");
        code.addStatement("double total = 0");
        switch (g.lossKind()) {
            case SOFTMAX_CROSS_ENTROPY -> {
                code.add("// per row: logsumexp(z) - z[label]; gradient (softmax(z) - one_hot(label)) / n\n");
                code.addStatement("float scale = 1f / n");
                code.beginControlFlow("for (int r = 0; r < n; r++)");
                code.addStatement("int row = r * $L", size);
                code.addStatement("int label = $T.checkIndex(batch.labels[r], $L)", java.util.Objects.class, size);
                code.add(Softmax.rowMaxAndSum(y, PROBS, size));
                code.addStatement("total += max + Math.log(sum) - $L[row + label]", y);
                code.beginControlFlow("if (seedGradient)");
                code.addStatement("float inv = scale / sum");
                code.beginControlFlow("for (int k = 0; k < $L; k++)", size);
                code.addStatement("$L[row + k] = $L[row + k] * inv", dy, PROBS);
                code.endControlFlow();
                code.addStatement("$L[row + label] -= scale", dy);
                code.endControlFlow();
                code.endControlFlow();
                code.addStatement("return (float) (total / n)");
            }
            case MSE, MSE_SUM -> {
                boolean perElement = g.lossKind() == LossKind.MSE;
                code.add("// (y - t)^2 summed, divided by $L; gradient 2 (y - t) / the same\n",
                        perElement ? "n * " + size : "n");
                code.addStatement("float count = $L", perElement ? "n * " + size + "f" : "n");
                code.addStatement("float scale = 2f / count");
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float diff = $L[i] - batch.targets[i]", y);
                code.addStatement("total += diff * diff");
                code.addStatement("if (seedGradient) $L[i] = scale * diff", dy);
                code.endControlFlow();
                code.addStatement("return (float) (total / count)");
            }
            case BINARY_CROSS_ENTROPY -> {
                code.add("// -(t log y + (1 - t) log(1 - y)), logs clamped at -100 as PyTorch does;\n");
                code.add("// seeds the gradient before the sigmoid: (y - t) / count\n");
                code.addStatement("float count = n * $Lf", size);
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float p = $L[i]", y);
                code.addStatement("float t = batch.targets[i]");
                code.addStatement("total -= t * Math.max(Math.log(p), -100.0) + (1 - t) * Math.max(Math.log(1 - p), -100.0)");
                code.addStatement("if (seedGradient) $L[i] = (p - t) / count", dy);
                code.endControlFlow();
                code.addStatement("return (float) (total / count)");
            }
            case BINARY_CROSS_ENTROPY_WITH_LOGITS -> {
                code.add("// max(z, 0) - z t + log(1 + exp(-|z|)): stable for any z; gradient (sigmoid(z) - t) / count\n");
                code.addStatement("float count = n * $Lf", size);
                code.beginControlFlow("for (int i = 0; i < n * $L; i++)", size);
                code.addStatement("float z = $L[i]", y);
                code.addStatement("float t = batch.targets[i]");
                code.addStatement("total += Math.max(z, 0f) - z * t + Math.log1p(Math.exp(-Math.abs(z)))");
                code.addStatement("if (seedGradient) $L[i] = (1f / (1f + (float) Math.exp(-z)) - t) / count", dy);
                code.endControlFlow();
                code.addStatement("return (float) (total / count)");
            }
        }
        return code.build();
    }

    /** After forward: turns the output into predictions in {@link #PROBS} where the loss owns an activation. */
    public static CodeBlock predictions(EmitContext ctx) {
        Graph g = ctx.graph();
        if (SequenceCrossEntropy.appliesTo(g)) return SequenceCrossEntropy.predictions(ctx);
        String y = ctx.out(g.output());
        int size = ctx.size(g.output());
        return switch (g.lossKind()) {
            case SOFTMAX_CROSS_ENTROPY -> Softmax.rows(y, PROBS, size);
            case BINARY_CROSS_ENTROPY_WITH_LOGITS -> CodeBlock.builder()
                    .beginControlFlow("for (int i = 0; i < n * $L; i++)", size)
                    .addStatement("$L[i] = 1f / (1f + (float) Math.exp(-$L[i]))", PROBS, y)
                    .endControlFlow()
                    .build();
            default -> CodeBlock.of("");
        };
    }
}
