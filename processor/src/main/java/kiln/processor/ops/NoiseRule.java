package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Node;
import kiln.ir.NoiseOp;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.VectorCode;

/**
 * Noise in training (the noisy input cell of a denoising autoencoder): Gaussian noise adds
 * sigma * eps, eps ~ N(0, 1); masking noise multiplies by a keep mask (0 with probability rate,
 * no rescaling). The draws come from the model's stream, or from the noise buffer when noise is
 * fixed. Backward passes dL/dy through (times the mask). In inference both are the identity.
 */
final class NoiseRule implements OpRule {
    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        NoiseOp op = (NoiseOp) node.op();
        members.floats(noise(node), node.name() + ": " + (op.noise() == NoiseOp.Kind.GAUSSIAN ? "the N(0, 1) draws eps"
                : "the keep mask, 1 kept, 0 masked") + ", (B," + node.shape().size() + ")", node.shape().size());
        members.noise(node, noise(node));
        members.flag(active(node), "whether the last forward added noise (training) or passed the values through");
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        NoiseOp op = (NoiseOp) node.op();
        Node in = node.inputs().get(0);
        int size = ctx.size(node);
        String src = ctx.out(in), dst = ctx.out(node), noise = noise(node);
        boolean gaussian = op.noise() == NoiseOp.Kind.GAUSSIAN;
        float amount = (float) op.amount();
        CodeBlock.Builder code = CodeBlock.builder()
                .add(gaussian ? "// $L = $L + $L * eps, eps ~ N(0, 1), in training   (n,$L)\n"
                        : "// $L = $L * mask, each value masked with probability $L, in training   (n,$L)\n",
                        node.name(), in.name(), op.amount(), size)
                .addStatement("$L = isTraining()", active(node))
                .beginControlFlow("if ($L)", active(node));
        if (gaussian) {
            code.addStatement("if (!noiseFixed) setRandomState($T.gaussian($L, n * $L, randomState()))", Names.RANDOM_FILL, noise, size);
            code.add(VectorCode.flatLoop("n * " + size,
                    i -> CodeBlock.of("$L.mul($Lf).add($L).intoArray($L, $L);\n", VectorCode.load(noise, i), amount,
                            VectorCode.load(src, i), dst, i),
                    i -> CodeBlock.of("$L[$L] = $L[$L] + $Lf * $L[$L];\n", dst, i, src, i, amount, noise, i)));
        } else {
            code.addStatement("if (!noiseFixed) setRandomState($T.keepMask($L, n * $L, $Lf, randomState()))", Names.RANDOM_FILL,
                    noise, size, amount);
            code.add(VectorCode.flatLoop("n * " + size,
                    i -> CodeBlock.of("$L.mul($L).intoArray($L, $L);\n", VectorCode.load(src, i), VectorCode.load(noise, i), dst, i),
                    i -> CodeBlock.of("$L[$L] = $L[$L] * $L[$L];\n", dst, i, src, i, noise, i)));
        }
        return code.nextControlFlow("else")
                .addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", src, dst, size)
                .endControlFlow()
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        NoiseOp op = (NoiseOp) node.op();
        Node in = node.inputs().get(0);
        int size = ctx.size(node);
        String dy = ctx.grad(node), dx = ctx.grad(in), noise = noise(node);
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        if (op.noise() == NoiseOp.Kind.GAUSSIAN) {
            return ctx.writingGradientOf(in, CodeBlock.builder()
                    .add("// dL/d$L $L dL/d$L (additive noise has derivative 1)\n", in.name(), overwrite ? "=" : "+=", node.name())
                    .add(ElementwiseCode.passThrough(dy, dx, size, overwrite)).build());
        }
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// dL/d$L $L dL/d$L * mask (training), or dL/d$L (inference)\n", in.name(), overwrite ? "=" : "+=",
                        node.name(), node.name())
                .add(ElementwiseCode.maskedGradient(active(node), dy, noise, 1f, dx, size, overwrite));
        return ctx.writingGradientOf(in, code.build());
    }

    private static String noise(Node node) {
        return Names.identifier(node.name()) + "Noise";
    }

    private static String active(Node node) {
        return Names.identifier(node.name()) + "Noisy";
    }
}
