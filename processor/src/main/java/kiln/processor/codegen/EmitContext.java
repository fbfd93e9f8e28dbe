package kiln.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import kiln.dsl.InputKind;
import kiln.ir.Graph;
import kiln.ir.InputOp;
import kiln.ir.Node;
import kiln.processor.autodiff.GradientPlan;
import kiln.processor.fusion.FusionPlan;

/**
 * What an op rule needs to emit its code: the names of buffers and parameters, and the fusion and
 * gradient plans. Buffers are fields named after nodes ({@code hidden1Out}, {@code hidden1Grad});
 * an input's value is the local {@code <input>Out} that each pass reads from the current inputs,
 * and its gradient the field {@code <input>Grad}.
 */
public final class EmitContext {
    private final Graph graph;
    private final FusionPlan fusion;
    private final GradientPlan gradients;

    public EmitContext(Graph graph, FusionPlan fusion, GradientPlan gradients) {
        this.graph = graph;
        this.fusion = fusion;
        this.gradients = gradients;
    }

    public Graph graph() {
        return graph;
    }

    public FusionPlan fusion() {
        return fusion;
    }

    public GradientPlan gradients() {
        return gradients;
    }

    /** The array holding node {@code n}'s value (after any fused activation). */
    public String out(Node n) {
        return Names.identifier(fusion.resultOf(n).name()) + "Out";
    }

    /** The array holding dL/d(node {@code n}'s value). */
    public String grad(Node n) {
        return Names.identifier(fusion.resultOf(n).name()) + "Grad";
    }

    /**
     * The Param field of the tensor {@code which} ("Weight", "Bias", "RunningMean"...) that node
     * {@code n} uses: its own, or the one it shares with (or, for a tied weight, transposes).
     */
    public String param(Node n, String which) {
        return Names.identifier(GradientPlan.owner(graph, n, which).name()) + which;
    }

    /** Whether node {@code n} reads its weight as another dense's weight transposed. */
    public boolean transposesWeight(Node n) {
        return n.options().transposeOf() != null;
    }

    /** Whether the tensor {@code which} that {@code n} uses is frozen: backward computes no gradient for it. */
    public boolean frozen(Node n, String which) {
        return GradientPlan.owner(graph, n, which).options().frozen();
    }

    /**
     * Wraps code that writes an input's gradient: it runs only when asked for (tests, saliency, a
     * discriminator driving a generator), since training never needs it and the first layer's dX
     * is a full matmul.
     */
    public CodeBlock writingGradientOf(Node target, CodeBlock code) {
        if (!isModelInput(target)) return code;
        if (graph.kindOf(fusion.resultOf(target)) == InputKind.TOKENS) return CodeBlock.of("");
        return CodeBlock.builder().beginControlFlow("if (computeInputGradients)").add(code).endControlFlow().build();
    }

    /** Whether {@code n}'s value is a model input itself (an input, or a flatten of one). */
    public boolean isModelInput(Node n) {
        return fusion.resultOf(n).op() instanceof InputOp;
    }

    /**
     * For an op that computes its input gradient in the same kernel call as its parameter
     * gradients: the gradient array of {@code target}, or, for a model input, the array only
     * when {@code computeInputGradients} is set, else null (the kernel then skips it).
     */
    public CodeBlock gradientOrNull(Node target) {
        return isModelInput(target)
                ? CodeBlock.of("computeInputGradients ? $L : null", grad(target))
                : CodeBlock.of("$L", grad(target));
    }

    /** The field holding a node's runtime kernel object (convolution, batch norm). */
    public String kernel(Node n) {
        return Names.identifier(n.name()) + "Kernel";
    }

    /** Per-sample float count of node {@code n}'s value. */
    public int size(Node n) {
        return n.shape().size();
    }
}
