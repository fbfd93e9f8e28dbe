package kiln.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Graph;
import kiln.ir.Node;
import kiln.processor.autodiff.GradientPlan;
import kiln.processor.fusion.FusionPlan;

/**
 * What an op rule needs to emit its code: the names of buffers and parameters, and the fusion and
 * gradient plans. Buffers are fields named after nodes ({@code hidden1Out}, {@code hidden1Grad});
 * the model input is the parameter {@code x} and its gradient the field {@code inputGrad}.
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
        Node result = fusion.resultOf(n);
        return result == graph.input() ? "x" : Names.identifier(result.name()) + "Out";
    }

    /** The array holding dL/d(node {@code n}'s value). */
    public String grad(Node n) {
        Node result = fusion.resultOf(n);
        return result == graph.input() ? "inputGrad" : Names.identifier(result.name()) + "Grad";
    }

    /** The Param field of a dense node's weight or bias. */
    public String param(Node n, String which) {
        return Names.identifier(n.name()) + which;
    }

    /**
     * Wraps code that writes the model input's gradient: it runs only when asked for (tests,
     * saliency), since training never needs it and the first layer's dX is a full matmul.
     */
    public CodeBlock writingGradientOf(Node target, CodeBlock code) {
        if (target != graph.input()) return code;
        return CodeBlock.builder().beginControlFlow("if (computeInputGradient)").add(code).endControlFlow().build();
    }

    /** Per-sample float count of node {@code n}'s value. */
    public int size(Node n) {
        return n.shape().size();
    }
}
