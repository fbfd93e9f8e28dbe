package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.VectorCode;

/**
 * The reparameterised Gaussian sample: z = mu + eps * exp(logvar / 2), eps ~ N(0, I) drawn at every
 * forward pass (or read from the noise buffer when noise is fixed). Backward:
 * dmu = dz, dlogvar = dz * eps * exp(logvar / 2) / 2; eps is a constant.
 */
final class GaussianSampleRule implements OpRule {
    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        members.floats(eps(node), node.name() + ": the N(0, 1) draws eps of the last forward, (B," + node.shape().size() + ")",
                node.shape().size());
        members.noise(node, eps(node));
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        Node mean = node.inputs().get(0), logVariance = node.inputs().get(1);
        int size = ctx.size(node);
        String mu = ctx.out(mean), lv = ctx.out(logVariance), z = ctx.out(node), eps = eps(node);
        return CodeBlock.builder()
                .add("// $L = $L + eps * exp($L / 2), eps ~ N(0, 1)   (n,$L)\n", node.name(), mean.name(), logVariance.name(), size)
                .addStatement("if (!noiseFixed) setRandomState($T.gaussian($L, n * $L, randomState()))", Names.RANDOM_FILL, eps, size)
                .add(VectorCode.flatLoop("n * " + size,
                        i -> CodeBlock.builder()
                                .add(VectorCode.exp("std", CodeBlock.of("$L.mul(0.5f)", VectorCode.load(lv, i))))
                                .addStatement("std.fma($L, $L).intoArray($L, $L)", VectorCode.load(eps, i), VectorCode.load(mu, i), z, i)
                                .build(),
                        i -> CodeBlock.of("$L[$L] = $L[$L] + $L[$L] * (float) Math.exp(0.5f * $L[$L]);\n", z, i, mu, i, eps, i, lv, i)))
                .build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        Node mean = node.inputs().get(0), logVariance = node.inputs().get(1);
        int size = ctx.size(node);
        String dz = ctx.grad(node), lv = ctx.out(logVariance), eps = eps(node);
        boolean overwriteMu = ctx.gradients().overwrites(node, 0), overwriteLv = ctx.gradients().overwrites(node, 1);
        String dmu = ctx.grad(mean), dlv = ctx.grad(logVariance);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add(ctx.writingGradientOf(mean, CodeBlock.builder()
                .add("// dL/d$L $L dL/d$L\n", mean.name(), overwriteMu ? "=" : "+=", node.name())
                .add(ElementwiseCode.passThrough(dz, dmu, size, overwriteMu)).build()));
        code.add(ctx.writingGradientOf(logVariance, CodeBlock.builder()
                .add("// dL/d$L $L dL/d$L * eps * exp($L / 2) / 2\n", logVariance.name(), overwriteLv ? "=" : "+=", node.name(),
                        logVariance.name())
                .add(VectorCode.flatLoop("n * " + size,
                        i -> {
                            CodeBlock.Builder b = CodeBlock.builder()
                                    .add(VectorCode.exp("std", CodeBlock.of("$L.mul(0.5f)", VectorCode.load(lv, i))))
                                    .addStatement("var g = $L.mul($L).mul(std).mul(0.5f)", VectorCode.load(dz, i), VectorCode.load(eps, i));
                            return overwriteLv ? b.addStatement("g.intoArray($L, $L)", dlv, i).build()
                                    : b.addStatement("$L.add(g).intoArray($L, $L)", VectorCode.load(dlv, i), dlv, i).build();
                        },
                        i -> CodeBlock.of("$L[$L] $L $L[$L] * $L[$L] * (float) Math.exp(0.5f * $L[$L]) * 0.5f;\n", dlv, i,
                                overwriteLv ? "=" : "+=", dz, i, eps, i, lv, i)))
                .build()));
        return code.build();
    }

    private static String eps(Node node) {
        return Names.identifier(node.name()) + "Eps";
    }
}
