package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.LossOp;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.SequenceMembers;
import kiln.processor.codegen.VectorCode;

/**
 * Softmax cross-entropy over sequence logits [steps, classes], one label per step: by default the
 * mean over the n * steps rows, as PyTorch's {@code CrossEntropyLoss} on the logits flattened to
 * rows. Labels are [n, steps] in {@code batch.labels}. Only the active steps count (all of them
 * unless the model was told to run fewer); the gradient rows of the others are zero.
 */
final class SequenceCrossEntropy {
    private SequenceCrossEntropy() {}

    /** The body of one loss term's block: declares and computes {@code value}, seeding when asked. */
    static CodeBlock term(Node loss, EmitContext ctx) {
        LossOp op = (LossOp) loss.op();
        Node scored = loss.inputs().get(0);
        String y = ctx.out(scored), dy = ctx.grad(scored), probs = LossRule.PROBS, assign = LossRule.assign(ctx, loss, 0);
        int steps = scored.shape().dim(0), classes = scored.shape().dim(1);
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("if (batch.labels.length < n * $L)", steps);
        code.addStatement("throw new IllegalArgumentException(\"this model takes $L labels per row ([n, $L] in batch.labels)"
                + " but the batch holds \" + batch.labels.length + \" for \" + n + \" rows: make it with Batch.forModel\")",
                steps, steps);
        code.endControlFlow();
        code.addStatement("int active = $L", SequenceMembers.appliesTo(ctx.graph()) ? SequenceMembers.ACTIVE_STEPS : steps);
        code.add("// per row (sample, step): logsumexp(z) - z[label]; gradient (softmax(z) - one_hot(label)) * scale\n");
        code.addStatement("double value = 0");
        code.addStatement("float scale = $Lf / ($L)", (float) op.weight(), LossRule.count(op, "n * active"));
        code.beginControlFlow("for (int r = 0; r < n; r++)");
        code.beginControlFlow("for (int t = 0; t < $L; t++)", steps);
        code.addStatement("int row = (r * $L + t) * $L", steps, classes);
        code.beginControlFlow("if (t >= active)");
        if (assign.equals("=")) code.addStatement("if (seedGradient) $T.fill($L, row, row + $L, 0f)", java.util.Arrays.class, dy, classes);
        code.addStatement("continue");
        code.endControlFlow();
        code.addStatement("int label = $T.checkIndex(batch.labels[r * $L + t], $L)", java.util.Objects.class, steps, classes);
        code.add(Softmax.rowMaxAndSum(y, probs, classes));
        code.addStatement("value += max + Math.log(sum) - $L[row + label]", y);
        code.beginControlFlow("if (seedGradient)");
        code.addStatement("float inv = scale / sum");
        code.addStatement("int k = 0");
        code.beginControlFlow("for (int bound = $L.loopBound($L); k < bound; k += $L.length())", Names.F, classes, Names.F);
        if (assign.equals("=")) {
            code.addStatement("$L.mul(inv).intoArray($L, row + k)", VectorCode.load(probs, "row + k"), dy);
        } else {
            code.addStatement("$L.mul(inv).add($L).intoArray($L, row + k)", VectorCode.load(probs, "row + k"),
                    VectorCode.load(dy, "row + k"), dy);
        }
        code.endControlFlow();
        code.beginControlFlow("for (; k < $L; k++)", classes);
        code.addStatement("$L[row + k] $L $L[row + k] * inv", dy, assign, probs);
        code.endControlFlow();
        code.addStatement("$L[row + label] -= scale", dy);
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.addStatement("value /= $L", LossRule.count(op, "n * active"));
        return code.build();
    }

    /** predictions(): the softmax of every step's logits into {@link LossRule#PROBS}. */
    static CodeBlock predictions(EmitContext ctx) {
        Node out = ctx.graph().output();
        int steps = out.shape().dim(0), classes = out.shape().dim(1);
        return CodeBlock.builder()
                .beginControlFlow("for (int r = 0; r < n * $L; r++)", steps)
                .addStatement("int row = r * $L", classes)
                .add(Softmax.rowMaxAndSum(ctx.out(out), LossRule.PROBS, classes))
                .addStatement("float inv = 1f / sum")
                .add(Softmax.scaleRow(LossRule.PROBS, classes, "inv"))
                .endControlFlow()
                .build();
    }
}
