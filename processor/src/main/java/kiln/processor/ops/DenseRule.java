package kiln.processor.ops;

import static kiln.processor.codegen.Names.F;

import com.palantir.javapoet.CodeBlock;
import kiln.dsl.Activation;
import kiln.ir.DenseOp;
import kiln.ir.Node;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.VectorCode;

/**
 * Dense, on the last axis (a sequence [steps, in] is n * steps rows of the same matrix products).
 * Forward is one GEMM whose epilogue adds the bias and applies the activation while the
 * output tile is in registers. Backward folds the activation's derivative and the bias gradient
 * into one pass over dL/dy, then two GEMMs: dW = dZ^T X and dX = dZ W.
 */
final class DenseRule implements OpRule {
    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        DenseOp op = (DenseOp) node.op();
        Node in = node.inputs().get(0);
        Activation act = ctx.fusion().denseActivation(node);
        int units = op.units();
        int inSize = features(in);
        String rows = rows(in);
        CodeBlock.Builder code = CodeBlock.builder();
        String affine = in.name() + " · " + node.name() + ".weight^T" + (op.bias() ? " + " + node.name() + ".bias" : "");
        code.add("// $L = $L   ($L,$L) -> ($L,$L)\n", ctx.fusion().resultOf(node).name(),
                act == Activation.IDENTITY ? affine : act.name().toLowerCase(java.util.Locale.ROOT) + "(" + affine + ")",
                rows, inSize, rows, units);
        String epilogue;
        boolean separateActivation = false;
        if (op.bias()) {
            epilogue = act == Activation.IDENTITY ? "BIAS" : "BIAS_" + act.name();
        } else {
            epilogue = "NONE";
            separateActivation = act != Activation.IDENTITY;
        }
        code.addStatement("gemm.nt($L, 0, $L.value, 0, $L, $L, 0, $L, $L, $L, $T.$L)", ctx.out(in),
                ctx.param(node, "Weight"), op.bias() ? ctx.param(node, "Bias") + ".value" : "null", ctx.out(node),
                rows, units, inSize, Names.EPILOGUE, epilogue);
        if (separateActivation) {
            String out = ctx.out(node);
            code.add(VectorCode.flatLoop(rows + " * " + units,
                    i -> CodeBlock.of("$L.intoArray($L, $L);\n",
                            VectorCode.activate(act, VectorCode.load(out, i)), out, i),
                    i -> CodeBlock.of("$L[$L] = $L;\n", out, i,
                            VectorCode.activateScalar(act, CodeBlock.of("$L[$L]", out, i)))));
        }
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        DenseOp op = (DenseOp) node.op();
        Node in = node.inputs().get(0);
        Node result = ctx.fusion().resultOf(node);
        Activation act = ctx.fusion().denseActivation(node);
        if (result == ctx.graph().output() && ctx.fusion().lossSeedsPreActivation()) act = Activation.IDENTITY;
        int units = op.units();
        int inSize = features(in);
        String rows = rows(in);
        String dz = ctx.grad(node);
        CodeBlock.Builder code = CodeBlock.builder();
        if (act != Activation.IDENTITY || op.bias()) {
            code.add("// $L backward: dZ = dL/d$L$L (in place)$L   (n,$L)\n", node.name(), result.name(),
                    act == Activation.IDENTITY ? "" : " * " + act.name().toLowerCase(java.util.Locale.ROOT) + "'",
                    op.bias() ? "; bias gradient = column sums of dZ in the same pass" : "", units);
            code.add(foldDerivative(act, op.bias() ? ctx.param(node, "Bias") + ".grad" : null, dz, ctx.out(node), units, rows));
        }
        code.add("// $L.weight gradient: dW = dZ^T · $L   ($L,$L) = ($L,$L)·($L,$L)\n", node.name(), in.name(), units,
                inSize, units, rows, rows, inSize);
        code.addStatement("gemm.tn($L, 0, $L, 0, $L.grad, 0, $L, $L, $L, false)", dz, ctx.out(in), ctx.param(node, "Weight"),
                units, inSize, rows);
        CodeBlock dx = CodeBlock.builder()
                .add("// dL/d$L $L dZ · $L.weight   ($L,$L) = ($L,$L)·($L,$L)\n", in.name(),
                        ctx.gradients().overwrites(node, 0) ? "=" : "+=", node.name(), rows, inSize, rows, units, units, inSize)
                .addStatement("gemm.nn($L, 0, $L.value, 0, $L, 0, $L, $L, $L, $L)", dz, ctx.param(node, "Weight"),
                        ctx.grad(in), rows, inSize, units, !ctx.gradients().overwrites(node, 0))
                .build();
        code.add(ctx.writingGradientOf(in, dx));
        return code.build();
    }

    /** Features per row: the input's last axis (a sequence [steps, in] is read row by row). */
    static int features(Node in) {
        return in.shape().dim(in.shape().rank() - 1);
    }

    /** The rows the matrix products run over: n samples, or n * steps for a sequence [steps, in]. */
    static String rows(Node in) {
        return in.shape().rank() == 2 ? "n * " + in.shape().dim(0) : "n";
    }

    /** One pass over dL/dy: multiply by the activation's derivative in place, and sum columns into the bias gradient. */
    private static CodeBlock foldDerivative(Activation act, String biasGrad, String d, String y, int units, String rows) {
        CodeBlock.Builder code = CodeBlock.builder();
        if (biasGrad != null) code.addStatement("$T.fill($L, 0f)", java.util.Arrays.class, biasGrad);
        code.beginControlFlow("for (int r = 0; r < $L; r++)", rows);
        code.addStatement("int row = r * $L", units);
        code.addStatement("int j = 0");
        code.beginControlFlow("for (int bound = $L.loopBound($L); j < bound; j += $L.length())", F, units, F);
        code.addStatement("var dv = $L", VectorCode.load(d, "row + j"));
        if (act != Activation.IDENTITY) {
            code.addStatement("var yv = $L", VectorCode.load(y, "row + j"));
            code.addStatement("dv = $L", VectorCode.derivative(act, "dv", "yv"));
            code.addStatement("dv.intoArray($L, row + j)", d);
        }
        if (biasGrad != null) code.addStatement("$L.add(dv).intoArray($L, j)", VectorCode.load(biasGrad, "j"), biasGrad);
        code.endControlFlow();
        code.beginControlFlow("for (; j < $L; j++)", units);
        code.addStatement("float dv = $L[row + j]", d);
        if (act != Activation.IDENTITY) {
            code.addStatement("dv = $L", VectorCode.derivativeScalar(act, "dv", y + "[row + j]"));
            code.addStatement("$L[row + j] = dv", d);
        }
        if (biasGrad != null) code.addStatement("$L[j] += dv", biasGrad);
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }
}
