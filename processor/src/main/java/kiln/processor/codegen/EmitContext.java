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

    /** The Param field of a node's weight, bias or state tensor ({@code which}: "Weight", "Bias", "RunningMean"...). */
    public String param(Node n, String which) {
        return Names.identifier(n.name()) + which;
    }

    /**
     * Wraps code that writes the model input's gradient: it runs only when asked for (tests,
     * saliency), since training never needs it and the first layer's dX is a full matmul.
     */
    public CodeBlock writingGradientOf(Node target, CodeBlock code) {
        if (!isModelInput(target)) return code;
        return CodeBlock.builder().beginControlFlow("if (computeInputGradient)").add(code).endControlFlow().build();
    }

    /** Whether {@code n}'s value is the model input itself (the input, or a flatten of it). */
    public boolean isModelInput(Node n) {
        return fusion.resultOf(n) == graph.input();
    }

    /**
     * For an op that computes its input gradient in the same kernel call as its parameter
     * gradients: the gradient array of {@code target}, or, for the model input, the array only
     * when {@code computeInputGradient} is set, else null (the kernel then skips it).
     */
    public CodeBlock gradientOrNull(Node target) {
        return isModelInput(target)
                ? CodeBlock.of("computeInputGradient ? $L : null", grad(target))
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
