package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.VectorCode;

/** Element-wise product: forward multiplies its inputs in one pass; dL/dx_k = dL/dy times the other inputs. */
final class MultiplyRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        List<String> ins = node.inputs().stream().map(ctx::out).toList();
        String dst = ctx.out(node);
        int size = ctx.size(node);
        return CodeBlock.builder()
                .add("// $L = $L   (n,$L)\n", node.name(), String.join(" * ", node.inputs().stream().map(Node::name).toList()), size)
                .add(VectorCode.flatLoop("n * " + size,
                        i -> CodeBlock.of("$L.intoArray($L, $L);\n", product(ins, -1, i, true), dst, i),
                        i -> CodeBlock.of("$L[$L] = $L;\n", dst, i, product(ins, -1, i, false))))
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        List<String> ins = node.inputs().stream().map(ctx::out).toList();
        String dy = ctx.grad(node);
        int size = ctx.size(node);
        CodeBlock.Builder code = CodeBlock.builder();
        for (int k = 0; k < ins.size(); k++) {
            Node in = node.inputs().get(k);
            String dx = ctx.grad(in);
            boolean overwrite = ctx.gradients().overwrites(node, k);
            int skip = k;
            code.add(ctx.writingGradientOf(in, CodeBlock.builder()
                    .add("// dL/d$L $L dL/d$L * the other factors\n", in.name(), overwrite ? "=" : "+=", node.name())
                    .add(VectorCode.flatLoop("n * " + size,
                            i -> {
                                CodeBlock g = CodeBlock.of("$L.mul($L)", VectorCode.load(dy, i), product(ins, skip, i, true));
                                return overwrite ? CodeBlock.of("$L.intoArray($L, $L);\n", g, dx, i)
                                        : CodeBlock.of("$L.add($L).intoArray($L, $L);\n", VectorCode.load(dx, i), g, dx, i);
                            },
                            i -> CodeBlock.of("$L[$L] $L $L[$L] * $L;\n", dx, i, overwrite ? "=" : "+=", dy, i,
                                    product(ins, skip, i, false))))
                    .build()));
        }
        return code.build();
    }

    /** The product of every input but number {@code skip} at index {@code i}, as a vector or a scalar expression. */
    private static CodeBlock product(List<String> ins, int skip, String i, boolean vector) {
        CodeBlock p = null;
        for (int k = 0; k < ins.size(); k++) {
            if (k == skip) continue;
            CodeBlock factor = vector ? VectorCode.load(ins.get(k), i) : CodeBlock.of("$L[$L]", ins.get(k), i);
            p = p == null ? factor : vector ? CodeBlock.of("$L.mul($L)", p, factor) : CodeBlock.of("$L * $L", p, factor);
        }
        return p;
    }
}
