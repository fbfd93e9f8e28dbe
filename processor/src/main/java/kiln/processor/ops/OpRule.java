package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;

/**
 * How one op becomes code: its forward rule and its backward rule, side by side. The backward
 * rule reads dL/d(output) from {@code ctx.grad(node)} and writes dL/d(input) for each input and
 * dL/d(parameter) for its own parameters; autodiff composes these rules over the graph.
 * Generated code sees {@code n}, the batch's row count, as a local.
 */
public interface OpRule {
    CodeBlock forward(Node node, EmitContext ctx);

    CodeBlock backward(Node node, EmitContext ctx);

    static OpRule of(Node node) {
        return switch (node.op()) {
            case kiln.ir.DenseOp d -> new DenseRule();
            case kiln.ir.ActivationOp a -> new ActivationRule();
            case kiln.ir.AddOp a -> new AddRule();
            case kiln.ir.InputOp i -> throw new IllegalArgumentException("the input has no rule");
            case kiln.ir.LossOp l -> throw new IllegalArgumentException("losses are emitted by LossRule");
        };
    }
}
