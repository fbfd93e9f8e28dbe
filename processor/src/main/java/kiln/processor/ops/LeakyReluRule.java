package kiln.processor.ops;

import static kiln.processor.codegen.Names.VECTOR_OPERATORS;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.LeakyReluOp;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.VectorCode;

/** LeakyReLU: y = x for x > 0, slope * x otherwise; dL/dx = dL/dy or slope * dL/dy, by the sign of x. */
final class LeakyReluRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        float slope = (float) ((LeakyReluOp) node.op()).slope();
        Node in = node.inputs().get(0);
        int size = ctx.size(node);
        String x = ctx.out(in), y = ctx.out(node);
        return CodeBlock.builder()
                .add("// $L = leaky_relu($L, $L)   (n,$L)\n", node.name(), in.name(), slope, size)
                .add(VectorCode.flatLoop("n * " + size,
                        i -> CodeBlock.builder().addStatement("var xv = $L", VectorCode.load(x, i))
                                .addStatement("xv.blend(xv.mul($Lf), xv.compare($T.LE, 0f)).intoArray($L, $L)", slope,
                                        VECTOR_OPERATORS, y, i).build(),
                        i -> CodeBlock.of("$L[$L] = $L[$L] > 0f ? $L[$L] : $Lf * $L[$L];\n", y, i, x, i, x, i, slope, x, i)))
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        float slope = (float) ((LeakyReluOp) node.op()).slope();
        Node in = node.inputs().get(0);
        int size = ctx.size(node);
        String x = ctx.out(in), dy = ctx.grad(node), dx = ctx.grad(in);
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        return ctx.writingGradientOf(in, CodeBlock.builder()
                .add("// dL/d$L $L dL/d$L * (1 where $L > 0, else $L)\n", in.name(), overwrite ? "=" : "+=", node.name(), in.name(), slope)
                .add(VectorCode.flatLoop("n * " + size,
                        i -> {
                            CodeBlock.Builder b = CodeBlock.builder().addStatement("var dv = $L", VectorCode.load(dy, i))
                                    .addStatement("dv = dv.blend(dv.mul($Lf), $L.compare($T.LE, 0f))", slope, VectorCode.load(x, i),
                                            VECTOR_OPERATORS);
                            return overwrite ? b.addStatement("dv.intoArray($L, $L)", dx, i).build()
                                    : b.addStatement("$L.add(dv).intoArray($L, $L)", VectorCode.load(dx, i), dx, i).build();
                        },
                        i -> CodeBlock.of("$L[$L] $L $L[$L] > 0f ? $L[$L] : $Lf * $L[$L];\n", dx, i, overwrite ? "=" : "+=", x, i,
                                dy, i, slope, dy, i)))
                .build());
    }
}
