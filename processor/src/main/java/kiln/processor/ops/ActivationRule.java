package kiln.processor.ops;


import com.palantir.javapoet.CodeBlock;
import kiln.dsl.Activation;
import kiln.ir.ActivationOp;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.VectorCode;

/**
 * An activation node that could not be fused into a dense (its input has other readers, or it
 * is a softmax): element-wise forward and backward loops, or the row-wise softmax and its
 * Jacobian-vector product dx = y * (dy - sum(dy * y)).
 */
final class ActivationRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        Activation act = ((ActivationOp) node.op()).activation();
        Node in = node.inputs().get(0);
        String src = ctx.out(in);
        String dst = ctx.out(node);
        int size = ctx.size(node);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L = $L($L)   (n,$L)\n", node.name(), act.name().toLowerCase(java.util.Locale.ROOT), in.name(), size);
        if (act == Activation.SOFTMAX) {
            code.add(Softmax.rows(src, dst, size));
            return code.build();
        }
        code.add(VectorCode.flatLoop("n * " + size,
                i -> VectorCode.activateInto(act, VectorCode.load(src, i), dst, i),
                i -> CodeBlock.of("$L[$L] = $L;\n", dst, i,
                        VectorCode.activateScalar(act, CodeBlock.of("$L[$L]", src, i)))));
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        Activation act = ((ActivationOp) node.op()).activation();
        if (ctx.fusion().seedsPreActivation(node)) act = Activation.IDENTITY;
        Node in = node.inputs().get(0);
        String dy = ctx.grad(node);
        String y = ctx.out(node);
        String dx = ctx.grad(in);
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        int size = ctx.size(node);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// dL/d$L $L dL/d$L * $L'($L)   (n,$L)\n", in.name(), overwrite ? "=" : "+=", node.name(),
                act.name().toLowerCase(java.util.Locale.ROOT), node.name(), size);
        if (act == Activation.SOFTMAX) {
            code.add(softmaxBackward(dy, y, dx, size, overwrite));
        } else {
            Activation a = act;
            code.add(VectorCode.flatLoop("n * " + size,
                    i -> {
                        CodeBlock g = VectorCode.derivative(a, "dv", "yv");
                        CodeBlock.Builder b = CodeBlock.builder()
                                .addStatement("var dv = $L", VectorCode.load(dy, i));
                        if (a != Activation.IDENTITY) b.addStatement("var yv = $L", VectorCode.load(y, i));
                        return overwrite
                                ? b.addStatement("$L.intoArray($L, $L)", g, dx, i).build()
                                : b.addStatement("$L.add($L).intoArray($L, $L)", VectorCode.load(dx, i), g, dx, i).build();
                    },
                    i -> CodeBlock.of("$L[$L] $L $L;\n", dx, i, overwrite ? "=" : "+=",
                            VectorCode.derivativeScalar(a, dy + "[" + i + "]", y + "[" + i + "]"))));
        }
        return ctx.writingGradientOf(in, code.build());
    }

    private static CodeBlock softmaxBackward(String dy, String y, String dx, int size, boolean overwrite) {
        return CodeBlock.builder()
                .beginControlFlow("for (int r = 0; r < n; r++)")
                .addStatement("int row = r * $L", size)
                .addStatement("float dot = 0f")
                .beginControlFlow("for (int j = 0; j < $L; j++)", size)
                .addStatement("dot += $L[row + j] * $L[row + j]", dy, y)
                .endControlFlow()
                .beginControlFlow("for (int j = 0; j < $L; j++)", size)
                .addStatement("$L[row + j] $L $L[row + j] * ($L[row + j] - dot)", dx, overwrite ? "=" : "+=", y, dy)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

}
