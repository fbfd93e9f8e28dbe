package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;

/** Flatten moves nothing: NCHW is row-major, so the node shares its input's value and gradient buffers. */
final class FlattenRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        Node in = node.inputs().get(0);
        return CodeBlock.of("// $L = $L viewed as (n,$L): the same buffer, $L\n", node.name(), in.name(), node.shape().size(),
                ctx.out(node));
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        return CodeBlock.of("// dL/d$L is dL/d$L viewed as (n,$L): the same buffer, $L\n", node.inputs().get(0).name(),
                node.name(), Conv2dRule.dims(node.inputs().get(0).shape()), ctx.grad(node));
    }
}
