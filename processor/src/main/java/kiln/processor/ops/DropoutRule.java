package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.DropoutOp;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.VectorCode;

/**
 * Inverted dropout. Training forward draws one uniform number per value from the model's
 * SplitMix64 stream (a long of state, no allocation) and keeps the value, scaled by 1 / (1 - rate),
 * when it is at least the rate; the kept scale or 0 goes into a mask that backward multiplies
 * dL/dy by. Inference forward and backward pass values and gradients through.
 */
final class DropoutRule implements OpRule {
    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        members.floats(mask(node), node.name() + ": 0 for a dropped value, 1 / (1 - rate) for a kept one, (B,"
                + node.shape().size() + ")", node.shape().size());
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
                .addStatement("long state = randomState()")
                .beginControlFlow("for (int i = 0; i < n * $L; i++)", size)
                .add("// SplitMix64; the top 24 bits as a uniform float in [0, 1)\n")
                .addStatement("state += 0x9E3779B97F4A7C15L")
                .addStatement("long z = (state ^ (state >>> 30)) * 0xBF58476D1CE4E5B9L")
                .addStatement("z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL")
                .addStatement("float keep = ((z ^ (z >>> 31)) >>> 40) * 0x1.0p-24f < $Lf ? 0f : $Lf", (float) rate, scale)
                .addStatement("$L[i] = keep", mask)
                .addStatement("$L[i] = $L[i] * keep", dst, src)
                .endControlFlow()
                .addStatement("setRandomState(state)")
                .nextControlFlow("else")
                .addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", src, dst, size)
                .endControlFlow()
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        Node in = node.inputs().get(0);
        int size = ctx.size(node);
        String dy = ctx.grad(node), dx = ctx.grad(in), mask = mask(node);
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// dL/d$L $L dL/d$L * mask (training), or dL/d$L (inference)\n", in.name(), overwrite ? "=" : "+=",
                        node.name(), node.name())
                .beginControlFlow("if ($L)", active(node))
                .add(VectorCode.flatLoop("n * " + size,
                        i -> {
                            CodeBlock g = CodeBlock.of("$L.mul($L)", VectorCode.load(dy, i), VectorCode.load(mask, i));
                            return overwrite
                                    ? CodeBlock.of("$L.intoArray($L, $L);\n", g, dx, i)
                                    : CodeBlock.of("$L.add($L).intoArray($L, $L);\n", VectorCode.load(dx, i), g, dx, i);
                        },
                        i -> CodeBlock.of("$L[$L] $L $L[$L] * $L[$L];\n", dx, i, overwrite ? "=" : "+=", dy, i, mask, i)))
                .nextControlFlow("else");
        if (overwrite) {
            code.addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", dy, dx, size);
        } else {
            code.add(VectorCode.flatLoop("n * " + size,
                    i -> CodeBlock.of("$L.add($L).intoArray($L, $L);\n", VectorCode.load(dx, i), VectorCode.load(dy, i), dx, i),
                    i -> CodeBlock.of("$L[$L] += $L[$L];\n", dx, i, dy, i)));
        }
        code.endControlFlow();
        return ctx.writingGradientOf(in, code.build());
    }

    private static String mask(Node node) {
        return Names.identifier(node.name()) + "Mask";
    }

    private static String active(Node node) {
        return Names.identifier(node.name()) + "Dropped";
    }
}
