package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.DropoutOp;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.VectorCode;

/**
 * Inverted dropout. Training forward draws a keep mask (1 kept, 0 dropped with probability rate)
 * from the model's SplitMix64 stream, or reuses the one in the mask buffer when noise is fixed,
 * and scales kept values by 1 / (1 - rate); backward multiplies dL/dy by the same. Inference
 * forward and backward pass values and gradients through.
 */
final class DropoutRule implements OpRule {
    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        members.floats(mask(node), node.name() + ": the keep mask, 1 kept, 0 dropped, (B," + node.shape().size() + ")",
                node.shape().size());
        members.noise(node, mask(node));
        members.flag(active(node), "whether the last forward dropped values (training) or passed them through");
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        double rate = ((DropoutOp) node.op()).rate();
        Node in = node.inputs().get(0);
        int size = ctx.size(node);
        String src = ctx.out(in), dst = ctx.out(node), mask = mask(node);
        float scale = (float) (1 / (1 - rate));
        return CodeBlock.builder()
                .add("// $L = dropout($L, $L): in training each value is dropped with probability $L, the rest scaled by $L   (n,$L)\n",
                        node.name(), in.name(), rate, rate, scale, size)
                .addStatement("$L = isTraining()", active(node))
                .beginControlFlow("if ($L)", active(node))
                .addStatement("if (!noiseFixed) setRandomState($T.keepMask($L, n * $L, $Lf, randomState()))", Names.RANDOM_FILL,
                        mask, size, (float) rate)
                .add(VectorCode.flatLoop("n * " + size,
                        i -> CodeBlock.of("$L.mul($L).mul($Lf).intoArray($L, $L);\n", VectorCode.load(src, i),
                                VectorCode.load(mask, i), scale, dst, i),
                        i -> CodeBlock.of("$L[$L] = $L[$L] * $L[$L] * $Lf;\n", dst, i, src, i, mask, i, scale)))
                .nextControlFlow("else")
                .addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", src, dst, size)
                .endControlFlow()
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        double rate = ((DropoutOp) node.op()).rate();
        float scale = (float) (1 / (1 - rate));
        Node in = node.inputs().get(0);
        int size = ctx.size(node);
        String dy = ctx.grad(node), dx = ctx.grad(in), mask = mask(node);
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// dL/d$L $L dL/d$L * mask * $L (training), or dL/d$L (inference)\n", in.name(), overwrite ? "=" : "+=",
                        node.name(), scale, node.name())
                .add(ElementwiseCode.maskedGradient(active(node), dy, mask, scale, dx, size, overwrite));
        return ctx.writingGradientOf(in, code.build());
    }

    private static String mask(Node node) {
        return Names.identifier(node.name()) + "Mask";
    }

    private static String active(Node node) {
        return Names.identifier(node.name()) + "Dropped";
    }
}
