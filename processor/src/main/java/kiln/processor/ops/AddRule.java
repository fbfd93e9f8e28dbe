package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.VectorCode;

/** Element-wise add: forward sums its inputs in one pass; backward hands dL/dy to every input. */
final class AddRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        List<String> ins = node.inputs().stream().map(ctx::out).toList();
        String dst = ctx.out(node);
        int size = ctx.size(node);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L = $L   (n,$L)\n", node.name(),
                String.join(" + ", node.inputs().stream().map(Node::name).toList()), size);
        code.add(VectorCode.flatLoop("n * " + size,
                i -> {
                    CodeBlock sum = VectorCode.load(ins.get(0), i);
                    for (String in : ins.subList(1, ins.size())) sum = CodeBlock.of("$L.add($L)", sum, VectorCode.load(in, i));
                    return CodeBlock.of("$L.intoArray($L, $L);\n", sum, dst, i);
                },
                i -> CodeBlock.of("$L[$L] = $L;\n", dst, i,
                        String.join(" + ", ins.stream().map(in -> in + "[" + i + "]").toList()))));
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        String dy = ctx.grad(node);
        int size = ctx.size(node);
        CodeBlock.Builder code = CodeBlock.builder();
        for (int k = 0; k < node.inputs().size(); k++) {
            Node in = node.inputs().get(k);
            String dx = ctx.grad(in);
            boolean overwrite = ctx.gradients().overwrites(node, k);
            CodeBlock.Builder one = CodeBlock.builder();
            one.add("// dL/d$L $L dL/d$L   (n,$L)\n", in.name(), overwrite ? "=" : "+=", node.name(), size);
            if (overwrite) {
                one.addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", dy, dx, size);
            } else {
                one.add(VectorCode.flatLoop("n * " + size,
                        i -> CodeBlock.of("$L.add($L).intoArray($L, $L);\n", VectorCode.load(dx, i),
                                VectorCode.load(dy, i), dx, i),
                        i -> CodeBlock.of("$L[$L] += $L[$L];\n", dx, i, dy, i)));
            }
            code.add(ctx.writingGradientOf(in, one.build()));
        }
        return code.build();
    }
}
