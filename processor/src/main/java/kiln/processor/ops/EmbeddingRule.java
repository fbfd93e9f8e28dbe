package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.EmbeddingOp;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;

/**
 * Embedding: forward copies, for every step of every row, the table row of its token id; backward
 * zeroes the table's gradient and adds each step's dL/dy row to its token's row (ids repeat, so the
 * rows are summed). Token ids have no gradient.
 */
final class EmbeddingRule implements OpRule {
    @Override
    public void declareParameters(Node node, EmitContext ctx, ModelMembers members) {
        EmbeddingOp op = (EmbeddingOp) node.op();
        members.param(node, "Weight", ".weight", false, op.init(), op.vocab(), op.dim(), op.vocab(), op.dim());
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        EmbeddingOp op = (EmbeddingOp) node.op();
        Node in = node.inputs().get(0);
        int steps = ctx.size(in), dim = op.dim();
        return CodeBlock.builder()
                .add("// $L = rows of $L.weight by the token ids in $L   (n,$L) -> (n,$L,$L)\n", node.name(), node.name(),
                        in.name(), steps, steps, dim)
                .beginControlFlow("for (int i = 0; i < n * $L; i++)", steps)
                .add(tokenId(ctx.out(in), op.vocab(), steps))
                .addStatement("System.arraycopy($L.value, id * $L, $L, i * $L, $L)", ctx.param(node, "Weight"), dim,
                        ctx.out(node), dim, dim)
                .endControlFlow()
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        EmbeddingOp op = (EmbeddingOp) node.op();
        Node in = node.inputs().get(0);
        int steps = ctx.size(in), dim = op.dim();
        String grad = ctx.param(node, "Weight") + ".grad", dy = ctx.grad(node);
        if (ctx.frozen(node, "Weight")) return CodeBlock.of("// $L.weight is frozen: no gradient\n", node.name());
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// $L.weight gradient: each step's dL/d$L row added to its token's row\n", node.name(), node.name());
        if (ctx.gradients().overwritesParam(node, "Weight")) code.addStatement("$T.fill($L, 0f)", java.util.Arrays.class, grad);
        return code
                .beginControlFlow("for (int i = 0; i < n * $L; i++)", steps)
                .addStatement("int row = (int) $L[i] * $L, src = i * $L", ctx.out(in), dim, dim)
                .add(LaneMath.lanes(dim, m -> CodeBlock.builder()
                        .add(m.let("sum", m.add(m.load(grad, "row + j"), m.load(dy, "src + j"))))
                        .add(m.store(grad, "row + j", "sum")).build()))
                .endControlFlow()
                .build();
    }

    /** Declares {@code int id}, the token id at {@code ids[i]}, after checking it is a whole number in 0..vocab-1. */
    static CodeBlock tokenId(String ids, int vocab, int steps) {
        return CodeBlock.builder()
                .addStatement("int id = (int) $L[i]", ids)
                .beginControlFlow("if (id < 0 || id >= $L || id != $L[i])", vocab, ids)
                .addStatement("throw new IllegalArgumentException(\"token id \" + $L[i] + \" at row \" + i / $L + \", step \" "
                        + "+ i % $L + \" is not a whole number in 0..$L\")", ids, steps, steps, vocab - 1)
                .endControlFlow()
                .build();
    }
}
