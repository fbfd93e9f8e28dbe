package kiln.processor.ops;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import kiln.ir.EmbeddingOp;
import kiln.ir.Node;
import kiln.ir.OneHotOp;
import kiln.ir.RecurrentOp;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;

/**
 * Layer 0's input projection when the recurrent layer's input is a token lookup it does itself,
 * an embedding or a one-hot (see {@code FusionPlan}): a step's projection {@code E[id] W_ih^T + b}
 * (one-hot: column id of W_ih, plus b) depends on its token id alone.
 * <ul>
 *   <li>forward makes the projected table once, {@code P = E W_ih^T + b} (one-hot: {@code W_ih^T +
 *       b}), vocab rows, and copies each step's row of P by its token id, instead of projecting
 *       every step's row;
 *   <li>backward sums each token's dA rows, {@code S[v] = Σ dA_r over the steps r with token v},
 *       then {@code dW_ih = S^T E} and {@code dE = S W_ih} (one-hot: {@code dW_ih = S^T}), instead
 *       of products over all steps.
 * </ul>
 * A batch with fewer steps than tokens (generation, one step at a time) takes the per-step path,
 * which is cheaper there; both paths compute the same sums in another order.
 */
final class TokenProjection {
    private TokenProjection() {}

    /** Layer 0's gate pre-activations {@code gates (steps*n, G)} from the token ids in {@code x}. */
    static CodeBlock forward(Node node, Node lookup, EmitContext ctx) {
        Dims d = new Dims(node, lookup);
        String wih = ctx.param(node, "WeightIhL0") + ".value", bias = RecurrentRule.biasSum(node);
        String gates = RecurrentRule.gates(node, 0), rows = tokenRows(node);
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// layer 0 looks up $L itself: a step's input projection depends on its token id alone\n", lookup.name())
                .beginControlFlow("if (rows >= $L)", d.vocab);
        if (d.oneHot) {
            code.add("// the projected table is W_ih^T + bias, ($L,$L)\n", d.vocab, d.gh)
                    .beginControlFlow("for (int v = 0; v < $L; v++)", d.vocab)
                    .beginControlFlow("for (int q = 0; q < $L; q++)", d.gh)
                    .addStatement("$L[v * $L + q] = $L[q * $L + v] + $L[q]", rows, d.gh, wih, d.vocab, bias)
                    .endControlFlow()
                    .endControlFlow();
        } else {
            code.add("// project the table once, ($L,$L) x ($L,$L)^T + bias\n", d.vocab, d.dim, d.gh, d.dim)
                    .addStatement("gemm.nt($L.value, 0, $L, 0, $L, $L, 0, $L, $L, $L, $T.BIAS)",
                            ctx.param(lookup, "Weight"), wih, bias, rows, d.vocab, d.gh, d.dim, Names.EPILOGUE);
        }
        code.add("// each step's row of the table, by its token\n")
                .add(eachStep(ctx, lookup, d, true, CodeBlock.of("System.arraycopy($L, id * $L, $L, (t * n + b) * $L, $L);\n",
                        rows, d.gh, gates, d.gh, d.gh)))
                .nextControlFlow("else");
        if (d.oneHot) {
            code.add("// fewer steps than tokens: column id of W_ih, plus bias, per step\n")
                    .add(eachStep(ctx, lookup, d, true, CodeBlock.builder()
                            .addStatement("int g = (t * n + b) * $L", d.gh)
                            .beginControlFlow("for (int q = 0; q < $L; q++)", d.gh)
                            .addStatement("$L[g + q] = $L[q * $L + id] + $L[q]", gates, wih, d.vocab, bias)
                            .endControlFlow().build()));
        } else {
            String xs = RecurrentRule.xs(node);
            code.add("// fewer steps than tokens: gather each step's embedding row, time-major, and project those\n")
                    .add(eachStep(ctx, lookup, d, true, CodeBlock.of("System.arraycopy($L.value, id * $L, $L, (t * n + b) * $L, $L);\n",
                            ctx.param(lookup, "Weight"), d.dim, xs, d.dim, d.dim)))
                    .addStatement("gemm.nt($L, 0, $L, 0, $L, $L, 0, rows, $L, $L, $T.BIAS)", xs, wih, bias, gates, d.gh, d.dim,
                            Names.EPILOGUE);
        }
        return code.endControlFlow().build();
    }

    /** dW_ih of layer 0 (and an embedding table's gradient) from dA in {@code gates}; same branch as forward. */
    static CodeBlock backward(Node node, Node lookup, EmitContext ctx) {
        Dims d = new Dims(node, lookup);
        String wih = ctx.param(node, "WeightIhL0"), gates = RecurrentRule.gates(node, 0), sums = tokenRows(node);
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("if (rows >= $L)", d.vocab)
                .add("// S = each token's dA rows summed, ($L,$L)\n", d.vocab, d.gh)
                .addStatement("$T.fill($L, 0f)", java.util.Arrays.class, sums)
                .add(eachStep(ctx, lookup, d, false, addRow(sums, "id * " + d.gh, gates, "(t * n + b) * " + d.gh, d.gh)));
        if (d.oneHot) {
            code.add("// dW_ih = S^T\n")
                    .beginControlFlow("for (int q = 0; q < $L; q++)", d.gh)
                    .beginControlFlow("for (int v = 0; v < $L; v++)", d.vocab)
                    .addStatement("$L.grad[q * $L + v] = $L[v * $L + q]", wih, d.vocab, sums, d.gh)
                    .endControlFlow()
                    .endControlFlow()
                    .nextControlFlow("else")
                    .add("// fewer steps than tokens: each step's dA row into column id of dW_ih\n")
                    .addStatement("$T.fill($L.grad, 0f)", java.util.Arrays.class, wih)
                    .add(eachStep(ctx, lookup, d, false, CodeBlock.builder()
                            .addStatement("int g = (t * n + b) * $L", d.gh)
                            .beginControlFlow("for (int q = 0; q < $L; q++)", d.gh)
                            .addStatement("$L.grad[q * $L + id] += $L[g + q]", wih, d.vocab, gates)
                            .endControlFlow().build()));
        } else {
            String table = ctx.param(lookup, "Weight"), xs = RecurrentRule.xs(node), dIn = RecurrentRule.dIn(node);
            code.add("// dW_ih = S^T $L and d$L = S W_ih\n", lookup.name(), lookup.name())
                    .addStatement("gemm.tn($L, 0, $L.value, 0, $L.grad, 0, $L, $L, $L, false)", sums, table, wih, d.gh, d.dim,
                            d.vocab)
                    .addStatement("gemm.nn($L, 0, $L.value, 0, $L.grad, 0, $L, $L, $L, false)", sums, wih, table, d.vocab,
                            d.dim, d.gh)
                    .nextControlFlow("else")
                    .add("// per step: dW_ih = dA^T xs; dL/d(step's embedding) = dA W_ih, added to its token's row\n")
                    .addStatement("gemm.tn($L, 0, $L, 0, $L.grad, 0, $L, $L, rows, false)", gates, xs, wih, d.gh, d.dim)
                    .addStatement("gemm.nn($L, 0, $L.value, 0, $L, 0, rows, $L, $L, false)", gates, wih, dIn, d.dim, d.gh)
                    .addStatement("$T.fill($L.grad, 0f)", java.util.Arrays.class, table)
                    .add(eachStep(ctx, lookup, d, false, addRow(table + ".grad", "id * " + d.dim, dIn,
                            "(t * n + b) * " + d.dim, d.dim)));
        }
        return code.endControlFlow().build();
    }

    /**
     * Declares the (vocab, G) rows: the projected table in forward, then the per-token sums of dA
     * in backward. A model whose batches can never hold as many steps as tokens (a large
     * vocabulary) always takes the per-step path, and gets an empty array instead.
     */
    static void declareBuffers(Node node, Node lookup, ModelMembers members) {
        Dims d = new Dims(node, lookup);
        members.field(ArrayTypeName.of(TypeName.FLOAT), tokenRows(node), node.name() + " layer 0: the input projection of"
                + " each token (forward), then each token's dA rows summed (backward), (" + d.vocab + "," + d.gh + ")",
                CodeBlock.of("new float[maxBatch * $L >= $L ? $L : 0]", d.steps, d.vocab, d.vocab * d.gh));
    }

    private static String tokenRows(Node node) {
        return RecurrentRule.id(node) + "TokenRows";
    }

    /**
     * {@code body} for every active step of every row, with {@code id} its token id: checked in
     * forward, read in backward (which sees the ids forward checked).
     */
    private static CodeBlock eachStep(EmitContext ctx, Node lookup, Dims d, boolean check, CodeBlock body) {
        String ids = ctx.out(lookup.inputs().get(0));
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

    /** Vocabulary, embedding width (the vocabulary for a one-hot), gate width G, steps. */
    private record Dims(boolean oneHot, int vocab, int dim, int gh, int steps) {
        Dims(Node node, Node lookup) {
            this(lookup.op() instanceof OneHotOp, vocab(lookup), lookup.shape().dim(1),
                    ((RecurrentOp) node.op()).cell().gates() * ((RecurrentOp) node.op()).hidden(),
                    ((RecurrentOp) node.op()).steps(node));
        }

        private static int vocab(Node lookup) {
            return lookup.op() instanceof EmbeddingOp e ? e.vocab() : ((OneHotOp) lookup.op()).classes();
        }
    }
}
