package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;

/**
 * How one op becomes code: its forward rule and its backward rule, side by side. The backward
 * rule reads dL/d(output) from {@code ctx.grad(node)} and writes dL/d(input) for each input and
 * dL/d(parameter) for its own parameters; autodiff composes these rules over the graph.
 * Generated code sees {@code n}, the batch's row count, as a local.
 */
public interface OpRule {
    CodeBlock forward(Node node, EmitContext ctx);

    CodeBlock backward(Node node, EmitContext ctx);

    /** Declares the op's parameters and state tensors, in graph order (dense layers are declared by the emitter). */
    default void declareParameters(Node node, EmitContext ctx, ModelMembers members) {}

    /** Declares what else the op keeps between forward and backward: masks, arg-max indices, kernel objects. */
    default void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {}

    static OpRule of(Node node) {
        return switch (node.op()) {
            case kiln.ir.DenseOp d -> new DenseRule();
            case kiln.ir.ActivationOp a -> new ActivationRule();
            case kiln.ir.AddOp a -> new AddRule();
            case kiln.ir.Conv2dOp c -> new Conv2dRule();
            case kiln.ir.ConvTranspose2dOp c -> new ConvTranspose2dRule();
            case kiln.ir.Pool2dOp p -> new Pool2dRule();
            case kiln.ir.GlobalAvgPoolOp p -> new GlobalAvgPoolRule();
            case kiln.ir.FlattenOp f -> new FlattenRule();
            case kiln.ir.DropoutOp d -> new DropoutRule();
            case kiln.ir.BatchNormOp b -> new BatchNormRule();
            case kiln.ir.RecurrentOp r -> new RecurrentRule();
            case kiln.ir.EmbeddingOp e -> new EmbeddingRule();
            case kiln.ir.OneHotOp o -> new OneHotRule();
            case kiln.ir.NoiseOp o -> new NoiseRule();
            case kiln.ir.GaussianSampleOp o -> new GaussianSampleRule();
            case kiln.ir.MultiplyOp o -> new MultiplyRule();
            case kiln.ir.LeakyReluOp o -> new LeakyReluRule();
            case kiln.ir.ConcatOp o -> new ConcatRule();
            case kiln.ir.SliceOp o -> new SliceRule();
            case kiln.ir.InputOp i -> throw new IllegalArgumentException("the input has no rule");
            case kiln.ir.LossOp l -> throw new IllegalArgumentException("losses are emitted by LossRule");
        };
    }
}
