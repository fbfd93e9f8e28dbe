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
        String weight = ctx.param(node, "Weight"), bias = op.bias() ? ctx.param(node, "Bias") + ".value" : "null";
        if (ctx.transposesWeight(node)) {
            code.add("// the weight is $L.weight transposed: x · W^T = x · $L.weight\n", node.options().transposeOf(),
                    node.options().transposeOf());
            code.addStatement("gemm.nn($L, 0, $L.value, 0, $L, 0, $L, $L, $L, false)", ctx.out(in), weight, ctx.out(node), rows,
                    units, inSize);
            code.add(biasAndActivation(ctx.out(node), op.bias() ? bias : null, act, units, rows));
            return code.build();
        }
        String epilogue;
        boolean separateActivation = false;
        if (op.bias()) {
            epilogue = act == Activation.IDENTITY ? "BIAS" : "BIAS_" + act.name();
        } else {
            epilogue = "NONE";
            separateActivation = act != Activation.IDENTITY;
        }
        code.addStatement("gemm.nt($L, 0, $L.value, 0, $L, $L, 0, $L, $L, $L, $T.$L)", ctx.out(in), weight, bias, ctx.out(node),
                rows, units, inSize, Names.EPILOGUE, epilogue);
        if (separateActivation) code.add(biasAndActivation(ctx.out(node), null, act, units, rows));
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        DenseOp op = (DenseOp) node.op();
        Node in = node.inputs().get(0);
        Node result = ctx.fusion().resultOf(node);
        Activation act = ctx.fusion().denseActivation(node);
        if (ctx.fusion().seedsPreActivation(result)) act = Activation.IDENTITY;
        int units = op.units();
        int inSize = features(in);
        String rows = rows(in);
        String dz = ctx.grad(node), weight = ctx.param(node, "Weight");
        boolean biasGrad = op.bias() && !ctx.frozen(node, "Bias"), weightGrad = !ctx.frozen(node, "Weight");
        boolean freshBias = ctx.gradients().overwritesParam(node, "Bias"), freshWeight = ctx.gradients().overwritesParam(node, "Weight");
        CodeBlock.Builder code = CodeBlock.builder();
        if (act != Activation.IDENTITY || biasGrad) {
            code.add("// $L backward: dZ = dL/d$L$L (in place)$L   (n,$L)\n", node.name(), result.name(),
                    act == Activation.IDENTITY ? "" : " * " + act.name().toLowerCase(java.util.Locale.ROOT) + "'",
                    biasGrad ? "; bias gradient " + (freshBias ? "=" : "+=") + " column sums of dZ in the same pass" : "", units);
            code.add(foldDerivative(act, biasGrad ? ctx.param(node, "Bias") + ".grad" : null, freshBias, dz, ctx.out(node), units, rows));
        }
        if (weightGrad && ctx.transposesWeight(node)) {
            code.add("// $L.weight gradient $L (dZ^T · $L)^T = $L^T · dZ   ($L,$L) = ($L,$L)·($L,$L)\n", node.options().transposeOf(),
                    freshWeight ? "=" : "+=", in.name(), in.name(), inSize, units, inSize, rows, rows, units);
            code.addStatement("gemm.tn($L, 0, $L, 0, $L.grad, 0, $L, $L, $L, $L)", ctx.out(in), dz, weight, inSize, units, rows,
                    !freshWeight);
        } else if (weightGrad) {
            code.add("// $L.weight gradient: dW $L dZ^T · $L   ($L,$L) = ($L,$L)·($L,$L)\n", node.name(), freshWeight ? "=" : "+=",
                    in.name(), units, inSize, units, rows, rows, inSize);
            code.addStatement("gemm.tn($L, 0, $L, 0, $L.grad, 0, $L, $L, $L, $L)", dz, ctx.out(in), weight, units, inSize, rows,
                    !freshWeight);
        }
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        CodeBlock.Builder dx = CodeBlock.builder();
        if (ctx.transposesWeight(node)) {
            dx.add("// dL/d$L $L dZ · $L.weight^T   ($L,$L) = ($L,$L)·($L,$L)\n", in.name(), overwrite ? "=" : "+=",
                            node.options().transposeOf(), rows, inSize, rows, units, units, inSize)
                    .addStatement("gemm.nt($L, 0, $L.value, 0, $L, 0, $L, $L, $L, $L)", dz, weight, ctx.grad(in), rows, inSize, units,
                            !overwrite);
        } else {
            dx.add("// dL/d$L $L dZ · $L.weight   ($L,$L) = ($L,$L)·($L,$L)\n", in.name(), overwrite ? "=" : "+=", node.name(), rows,
                            inSize, rows, units, units, inSize)
                    .addStatement("gemm.nn($L, 0, $L.value, 0, $L, 0, $L, $L, $L, $L)", dz, weight, ctx.grad(in), rows, inSize,
                            units, !overwrite);
        }
        code.add(ctx.writingGradientOf(in, dx.build()));
        return code.build();
    }

    /** After a product without epilogue: adds the bias (when given) and applies the activation, in place. */
    private static CodeBlock biasAndActivation(String out, String bias, Activation act, int units, String rows) {
        if (bias == null && act == Activation.IDENTITY) return CodeBlock.of("");
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < $L; r++)", rows);
        code.addStatement("int row = r * $L", units);
        code.addStatement("int j = 0");
        code.beginControlFlow("for (int bound = $L.loopBound($L); j < bound; j += $L.length())", F, units, F);
        CodeBlock v = VectorCode.load(out, "row + j");
        if (bias != null) v = CodeBlock.of("$L.add($L)", v, VectorCode.load(bias, "j"));
        code.add(VectorCode.activateInto(act, v, out, "row + j"));
        code.endControlFlow();
        code.beginControlFlow("for (; j < $L; j++)", units);
        CodeBlock s = bias != null ? CodeBlock.of("($L[row + j] + $L[j])", out, bias) : CodeBlock.of("$L[row + j]", out);
        code.addStatement("$L[row + j] = $L", out, VectorCode.activateScalar(act, s));
        code.endControlFlow();
        code.endControlFlow();
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

    /**
     * One pass over dL/dy: multiply by the activation's derivative in place, and sum columns into the
     * bias gradient (after zeroing it when this is its first contribution).
     */
    private static CodeBlock foldDerivative(Activation act, String biasGrad, boolean freshBias, String d, String y, int units,
                                            String rows) {
        CodeBlock.Builder code = CodeBlock.builder();
        if (biasGrad != null && freshBias) code.addStatement("$T.fill($L, 0f)", java.util.Arrays.class, biasGrad);
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
