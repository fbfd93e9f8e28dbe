package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Node;
import kiln.ir.OneHotOp;
import kiln.processor.codegen.EmitContext;

/** One-hot: forward writes zeros and a 1 at each step's token id; token ids have no gradient, so backward does nothing. */
final class OneHotRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        int classes = ((OneHotOp) node.op()).classes();
        Node in = node.inputs().get(0);
        int steps = ctx.size(in);
        String out = ctx.out(node);
        return CodeBlock.builder()
                .add("// $L = one_hot($L, $L)   (n,$L) -> (n,$L,$L)\n", node.name(), in.name(), classes, steps, steps, classes)
                .addStatement("$T.fill($L, 0, n * $L, 0f)", java.util.Arrays.class, out, steps * classes)
                .beginControlFlow("for (int i = 0; i < n * $L; i++)", steps)
                .add(EmbeddingRule.tokenId(ctx.out(in), classes, steps))
                .addStatement("$L[i * $L + id] = 1f", out, classes)
                .endControlFlow()
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        return CodeBlock.of("// $L: token ids have no gradient\n", node.name());
    }
}
