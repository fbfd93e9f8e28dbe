package kiln.processor.ops;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import kiln.ir.EmbeddingOp;
import kiln.ir.Node;
import kiln.ir.RecurrentOp;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;

/**
 * An embedding looked up inside the recurrent layer that reads it (see {@code FusionPlan}): layer
 * 0's input projection of a step is {@code E[id] W_ih^T + b}, a function of the token id alone.
 * <ul>
 *   <li>forward projects the whole table once, {@code P = E W_ih^T + b} (vocab rows), and copies
 *       each step's row of P by its token id, instead of projecting every step's embedding row;
 *   <li>backward sums each token's dA rows, {@code S[v] = Σ dA_r over the steps r with token v},
 *       and then {@code dW_ih = S^T E} and {@code dE = S W_ih}, instead of two products over all
 *       steps.
 * </ul>
 * A batch with fewer steps than tokens (generation, one step at a time) takes the per-step path,
 * which is cheaper there; both paths compute the same sums in another order.
 */
final class EmbeddedProjection {
    private EmbeddedProjection() {}

    /** Layer 0's gate pre-activations {@code gates (steps*n, G)} from the token ids in {@code x}. */
    static CodeBlock forward(Node node, Node embedding, EmitContext ctx) {
        Dims d = new Dims(node, embedding);
        String table = ctx.param(embedding, "Weight") + ".value", wih = ctx.param(node, "WeightIhL0") + ".value";
        String gates = RecurrentRule.gates(node, 0), xs = RecurrentRule.xs(node), ids = ctx.out(embedding.inputs().get(0));
        return CodeBlock.builder()
                .add("// layer 0 looks up $L itself: a step's input projection depends on its token id alone\n",
                        embedding.name())
                .beginControlFlow("if (rows >= $L)", d.vocab)
                .add("// project the table once, ($L,$L) x ($L,$L)^T + bias, then copy each step's row by its token\n",
                        d.vocab, d.dim, d.gh, d.dim)
                .addStatement("gemm.nt($L, 0, $L, 0, $L, $L, 0, $L, $L, $L, $T.BIAS)", table, wih, RecurrentRule.biasSum(node),
                        tokenRows(node), d.vocab, d.gh, d.dim, Names.EPILOGUE)
                .add(eachStep(ids, d, true, CodeBlock.of("System.arraycopy($L, id * $L, $L, (t * n + b) * $L, $L);\n",
                        tokenRows(node), d.gh, gates, d.gh, d.gh)))
                .nextControlFlow("else")
                .add("// fewer steps than tokens: gather each step's embedding row, time-major, and project those\n")
                .add(eachStep(ids, d, true, CodeBlock.of("System.arraycopy($L, id * $L, $L, (t * n + b) * $L, $L);\n",
                        table, d.dim, xs, d.dim, d.dim)))
                .addStatement("gemm.nt($L, 0, $L, 0, $L, $L, 0, rows, $L, $L, $T.BIAS)", xs, wih, RecurrentRule.biasSum(node),
                        gates, d.gh, d.dim, Names.EPILOGUE)
                .endControlFlow()
                .build();
    }

    /** dW_ih of layer 0 and the embedding table's gradient, from dA in {@code gates}; same branch as forward. */
    static CodeBlock backward(Node node, Node embedding, EmitContext ctx) {
        Dims d = new Dims(node, embedding);
        String table = ctx.param(embedding, "Weight"), wih = ctx.param(node, "WeightIhL0");
        String gates = RecurrentRule.gates(node, 0), xs = RecurrentRule.xs(node), dIn = RecurrentRule.dIn(node);
        String ids = ctx.out(embedding.inputs().get(0)), sums = tokenRows(node);
        return CodeBlock.builder()
                .beginControlFlow("if (rows >= $L)", d.vocab)
                .add("// S = each token's dA rows summed, ($L,$L); then dW_ih = S^T $L and d$L = S W_ih\n", d.vocab, d.gh,
                        embedding.name(), embedding.name())
                .addStatement("$T.fill($L, 0f)", java.util.Arrays.class, sums)
                .add(eachStep(ids, d, false, addRow(sums, "id * " + d.gh, gates, "(t * n + b) * " + d.gh, d.gh)))
                .addStatement("gemm.tn($L, 0, $L.value, 0, $L.grad, 0, $L, $L, $L, false)", sums, table, wih, d.gh, d.dim,
                        d.vocab)
                .addStatement("gemm.nn($L, 0, $L.value, 0, $L.grad, 0, $L, $L, $L, false)", sums, wih, table, d.vocab,
                        d.dim, d.gh)
                .nextControlFlow("else")
                .add("// per step: dW_ih = dA^T xs; dL/d(step's embedding) = dA W_ih, added to its token's row\n")
                .addStatement("gemm.tn($L, 0, $L, 0, $L.grad, 0, $L, $L, rows, false)", gates, xs, wih, d.gh, d.dim)
                .addStatement("gemm.nn($L, 0, $L.value, 0, $L, 0, rows, $L, $L, false)", gates, wih, dIn, d.dim, d.gh)
                .addStatement("$T.fill($L.grad, 0f)", java.util.Arrays.class, table)
                .add(eachStep(ids, d, false, addRow(table + ".grad", "id * " + d.dim, dIn, "(t * n + b) * " + d.dim, d.dim)))
                .endControlFlow()
                .build();
    }

    /** Declares the (vocab, G) rows: the projected table in forward, then the per-token sums of dA in backward. */
    static void declareBuffers(Node node, Node embedding, ModelMembers members) {
        Dims d = new Dims(node, embedding);
        members.field(ArrayTypeName.of(TypeName.FLOAT), tokenRows(node), node.name() + " layer 0: " + embedding.name()
                + "'s table projected (forward), then each token's dA rows summed (backward), (" + d.vocab + "," + d.gh
                + ")", CodeBlock.of("new float[$L]", d.vocab * d.gh));
    }

    private static String tokenRows(Node node) {
        return RecurrentRule.id(node) + "TokenRows";
    }

    /**
     * {@code body} for every active step of every row, with {@code id} its token id: checked in
     * forward, read in backward (which sees the ids forward checked).
     */
    private static CodeBlock eachStep(String ids, Dims d, boolean check, CodeBlock body) {
        return CodeBlock.builder()
                .beginControlFlow("for (int b = 0; b < n; b++)")
                .beginControlFlow("for (int t = 0; t < steps; t++)")
                .addStatement("int i = b * $L + t", d.steps)
                .add(check ? EmbeddingRule.tokenId(ids, d.vocab, d.steps) : CodeBlock.of("int id = (int) $L[i];\n", ids))
                .add(body)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** {@code dst[at + j] += src[from + j]} for j in [0, len). */
    private static CodeBlock addRow(String dst, String at, String src, String from, int len) {
        return CodeBlock.builder()
                .addStatement("int at = $L, from = $L", at, from)
                .add(LaneMath.lanes(len, m -> CodeBlock.builder()
                        .add(m.let("sum", m.add(m.load(dst, "at + j"), m.load(src, "from + j"))))
                        .add(m.store(dst, "at + j", "sum")).build()))
                .build();
    }

    private record Dims(int vocab, int dim, int gh, int steps) {
        Dims(Node node, Node embedding) {
            this(((EmbeddingOp) embedding.op()).vocab(), ((EmbeddingOp) embedding.op()).dim(),
                    ((RecurrentOp) node.op()).cell().gates() * ((RecurrentOp) node.op()).hidden(),
                    ((RecurrentOp) node.op()).steps(node));
        }
    }
}
