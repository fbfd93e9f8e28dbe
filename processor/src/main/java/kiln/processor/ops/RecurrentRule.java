package kiln.processor.ops;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import kiln.dsl.Init;
import kiln.dsl.Returns;
import kiln.ir.Node;
import kiln.ir.OneHotOp;
import kiln.ir.RecurrentOp;
import kiln.processor.codegen.EmitContext;
import kiln.processor.codegen.ModelMembers;
import kiln.processor.codegen.Names;
import kiln.processor.codegen.SequenceMembers;
import kiln.processor.codegen.VectorCode;

/**
 * A stack of recurrent layers (tanh RNN, LSTM, GRU), forward and backward through time.
 *
 * <p>Layout: node values are batch-first, [n, T, features], like every other buffer; inside the
 * op, each layer works time-major, [T, n, ·], so that the rows of one time step are contiguous and
 * every matrix product is one GEMM call. Per layer:
 * <ul>
 *   <li>forward: the input projection of all steps is one GEMM, {@code gates[T*n, G*H] = in W_ih^T +
 *       b}; then per step, {@code hh = h_{t-1} W_hh^T} and a generated step method: one fused pass
 *       over the batch rows computing the gate non-linearities and the state update
 *       ({@link RecurrentCell}), keeping the gate activations and h_t (and c_t) for backward;
 *   <li>backward through time: per step, from the last, the generated backward step method, one
 *       fused pass turning dL/dh_t (from the output or the layer above, plus the recurrent part)
 *       into the gates' pre-activation gradients dA_t, then {@code dL/dh_{t-1} = dA_t W_hh}; then
 *       the weight gradients of all steps at once as GEMMs, {@code dW_hh = dA^T H_prev},
 *       {@code dW_ih = dA^T in}, the bias gradients as column sums of dA, and the input gradient
 *       {@code dA W_ih}.
 * </ul>
 * The time loops run in the runtime's {@code RecurrentProduct}, which packs W_hh once per pass and
 * gives each worker a slice of hidden units, from the product through the step method, so a step
 * costs one barrier.
 * The state a forward pass starts from is zero, or the one the previous pass ended with when the
 * model carries its state; backward never goes past the first step of the pass (truncated
 * backpropagation through time cuts the gradient at the chunk boundary).
 */
public final class RecurrentRule implements OpRule {
    private static final ClassName RECURRENT_PRODUCT = ClassName.get("kiln.runtime.kernels", "RecurrentProduct");
    private static final ClassName STEP_PASS = RECURRENT_PRODUCT.nestedClass("StepPass");

    /** The arrays holding a recurrent node's carried state (h, and c for an LSTM), [layers, maxBatch, hidden]. */
    public static List<String> stateArrays(Node node) {
        RecurrentOp op = (RecurrentOp) node.op();
        List<String> names = new ArrayList<>(List.of(id(node) + "StateH"));
        if (RecurrentCell.of(op.cell()).hasCellState()) names.add(id(node) + "StateC");
        return names;
    }

    @Override
    public void declareParameters(Node node, EmitContext ctx, ModelMembers members) {
        RecurrentOp op = (RecurrentOp) node.op();
        int h = op.hidden(), gh = op.cell().gates() * h;
        for (int k = 0; k < op.layers(); k++) {
            int in = op.inputSize(node, k);
            members.param(node, "WeightIhL" + k, ".weight_ih_l" + k, false, Init.PYTORCH_UNIFORM, h, gh, gh, in);
            members.param(node, "WeightHhL" + k, ".weight_hh_l" + k, false, Init.PYTORCH_UNIFORM, h, gh, gh, h);
            members.param(node, "BiasIhL" + k, ".bias_ih_l" + k, true, Init.PYTORCH_UNIFORM, h, gh, gh);
            members.param(node, "BiasHhL" + k, ".bias_hh_l" + k, true, Init.PYTORCH_UNIFORM, h, gh, gh);
        }
    }

    @Override
    public void declareBuffers(Node node, EmitContext ctx, ModelMembers members) {
        RecurrentOp op = (RecurrentOp) node.op();
        RecurrentCell cell = RecurrentCell.of(op.cell());
        int seq = op.steps(node), h = op.hidden(), gh = op.cell().gates() * h, in0 = op.inputSize(node, 0);
        String name = node.name();
        members.floats(xs(node), name + " layer 0 input, time-major, (T,B," + in0 + ")", seq * in0);
        for (int k = 0; k < op.layers(); k++) {
            members.floats(gates(node, k), name + " layer " + k + " gate pre-activations, then activations, then their"
                    + " gradients, time-major, (T,B," + gh + ")", seq * gh);
            members.floats(hs(node, k), name + " layer " + k + " hidden states h_0..h_T, time-major, (T+1,B," + h + ")",
                    (seq + 1) * h);
            if (cell.hasCellState()) {
                members.floats(cs(node, k), name + " layer " + k + " cell states c_0..c_T, time-major, (T+1,B," + h + ")",
                        (seq + 1) * h);
            }
            if (op.cell() == RecurrentOp.Cell.GRU) {
                members.floats(hn(node, k), name + " layer " + k + " h_{t-1} W_hn^T + b_hn, time-major, (T,B," + h + ")",
                        seq * h);
            }
            if (dropsBetween(op, k)) {
                members.floats(drop(node, k), name + " layer " + k + " hidden states after dropout, time-major, (T,B,"
                        + h + ")", seq * h);
                members.floats(mask(node, k), name + " layer " + k + " dropout mask: 0 or 1 / (1 - rate), (T,B," + h
                        + ")", seq * h);
            }
        }
        if (op.dropout() > 0) members.flag(dropped(node), "whether the last forward dropped between layers (training)");
        members.floats(hh(node), name + " h_{t-1} W_hh^T of one step, (B," + gh + ")", gh);
        members.floats(dhRec(node), name + " dL/dh_{t-1} of one step, (B," + h + ")", h);
        if (cell.hasCellState()) members.floats(dcRec(node), name + " dL/dc_{t-1} of one step, (B," + h + ")", h);
        if (cell.separateHiddenGradient()) {
            members.floats(gradHh(node), name + " gradient of h_{t-1} W_hh^T + b_hh, time-major, (T,B," + gh + ")", seq * gh);
        }
        members.floats(dIn(node), name + " dL/d(layer input), time-major, (T,B," + Math.max(in0, h) + ")",
                seq * Math.max(in0, h));
        Node lookup = ctx.fusion().lookupOf(node);
        if (lookup != null) TokenProjection.declareBuffers(node, lookup, members);
        members.field(com.palantir.javapoet.ArrayTypeName.of(TypeName.FLOAT), biasSum(node), name + " bias of the input projection, (" + gh + ")",
                CodeBlock.of("new float[$L]", gh));
        for (String state : stateArrays(node)) {
            members.floats(state, name + " state carried between forward passes, (" + op.layers() + ",B," + h + ")",
                    op.layers() * h);
        }
        members.field(RECURRENT_PRODUCT, product(node), name + ": the time loops around h W_hh^T and dA W_hh",
                CodeBlock.of("new $T(pool, $L, $L)", RECURRENT_PRODUCT, op.cell().gates(), h));
        for (int k = 0; k < op.layers(); k++) {
            members.field(STEP_PASS, forwardStepField(node, k), name + " layer " + k + ": one step forward",
                    CodeBlock.of("this::$L", forwardStep(node, k)));
            members.field(STEP_PASS, backwardStepField(node, k), name + " layer " + k + ": one step backward",
                    CodeBlock.of("this::$L", backwardStep(node, k)));
            members.method(forwardStepMethod(node, ctx, op, k));
            members.method(backwardStepMethod(node, ctx, op, k));
        }
    }

    /**
     * Step t of layer k forward, for batch rows [0, n) and hidden units [from, to): reads the
     * input projection and h_{t-1} W_hh^T, writes h_t (and the cell's state and activations).
     */
    private static MethodSpec forwardStepMethod(Node node, EmitContext ctx, RecurrentOp op, int k) {
        RecurrentCell cell = RecurrentCell.of(op.cell());
        int seq = op.steps(node), h = op.hidden(), gh = op.cell().gates() * h;
        boolean writesSequence = k == op.layers() - 1 && op.returns() == Returns.SEQUENCE;
        RecurrentCell.Step step = step(node, ctx, op, k);
        String hsk = hs(node, k), out = ctx.out(node);
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int b = 0; b < n; b++)")
                .addStatement("int g = (t * n + b) * $L, q = b * $L, hp = (t * n + b) * $L, hq = hp + n * $L", gh, gh, h, h);
        if (writesSequence) code.addStatement("int ob = (b * $L + t) * $L", seq, h);
        code.add(LaneMath.lanes("from", "to", m -> {
            CodeBlock.Builder body = CodeBlock.builder().add(cell.forward(m, step)).add(m.store(hsk, "hq + j", "h"));
            if (writesSequence) body.add(m.store(out, "ob + j", "h"));
            return body.build();
        }));
        code.endControlFlow();
        return stepMethod(forwardStep(node, k), code.build(), node.name() + " layer " + k + ", step t forward for hidden"
                + " units [from, to): the " + op.cell().label() + " gates and state update, h_t" + (writesSequence
                ? " also into " + out + " (n,T," + h + ")" : ""));
    }

    /**
     * Step t of layer k backward, for rows [0, n) and units [from, to): dL/dh_t (from the output or
     * the layer above, plus the recurrent part) into the gates' pre-activation gradients dA_t.
     */
    private static MethodSpec backwardStepMethod(Node node, EmitContext ctx, RecurrentOp op, int k) {
        RecurrentCell cell = RecurrentCell.of(op.cell());
        boolean top = k == op.layers() - 1;
        int seq = op.steps(node), h = op.hidden(), gh = op.cell().gates() * h;
        String dOut = ctx.grad(node), dhRec = dhRec(node);
        RecurrentCell.Step step = step(node, ctx, op, k);
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int b = 0; b < n; b++)")
                .addStatement("int g = (t * n + b) * $L, hp = (t * n + b) * $L, hq = hp + n * $L, s = b * $L", gh, h, h, h);
        String above, at;
        if (top && op.returns() == Returns.SEQUENCE) {
            code.addStatement("int ob = (b * $L + t) * $L", seq, h);
            above = dOut;
            at = "ob + j";
        } else if (!top) {
            above = dIn(node);
            at = "hp + j";
        } else {
            above = null;
            at = null;
        }
        String biasIh = ctx.param(node, "BiasIhL" + k) + ".grad", biasHh = ctx.param(node, "BiasHhL" + k) + ".grad";
        code.add(LaneMath.lanes("from", "to", m -> {
            CodeBlock.Builder body = CodeBlock.builder()
                    .add(above == null ? m.let("dh", m.load(dhRec, "s + j"))
                            : m.let("dh", m.add(m.load(dhRec, "s + j"), m.load(above, at))))
                    .add(cell.backward(m, step));
            body.add(biasSums(m, biasIh, cell.inputGateGradients(), h, "bi"));
            if (cell.separateHiddenGradient()) body.add(biasSums(m, biasHh, cell.hiddenGateGradients(), h, "bh"));
            return body.build();
        }));
        code.endControlFlow();
        return stepMethod(backwardStep(node, k), code.build(), node.name() + " layer " + k + ", step t backward for hidden"
                + " units [from, to): dL/dh_t = " + (above == null ? "" : above + " + ") + dhRec
                + " into the gates' pre-activation gradients");
    }

    /** The bias gradient's columns of these units, summed over rows and steps in the step pass itself. */
    private static CodeBlock biasSums(LaneMath m, String grad, List<String> gradients, int hidden, String prefix) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (int g = 0; g < gradients.size(); g++) {
            String at = g == 0 ? "j" : g * hidden + " + j";
            code.add(m.let(prefix + g, m.add(m.load(grad, at), gradients.get(g)))).add(m.store(grad, at, prefix + g));
        }
        return code.build();
    }

    private static MethodSpec stepMethod(String name, CodeBlock body, String doc) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE)
                .addJavadoc("$L.\n", doc)
                .addParameter(TypeName.INT, "t").addParameter(TypeName.INT, "n")
                .addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "to")
                .addCode(body).build();
    }

    @Override
    public CodeBlock forward(Node node, EmitContext ctx) {
        RecurrentOp op = (RecurrentOp) node.op();
        RecurrentCell cell = RecurrentCell.of(op.cell());
        Node input = node.inputs().get(0);
        int seq = op.steps(node), h = op.hidden(), gh = op.cell().gates() * h, in0 = op.inputSize(node, 0);
        String out = ctx.out(node);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L = $L($L): $L layer$L of $L, hidden $L   (n,$L,$L) -> (n,$L)\n", node.name(), op.cell().label(),
                input.name(), op.layers(), op.layers() == 1 ? "" : "s", op.cell().label(), h, seq, in0,
                op.returns() == Returns.SEQUENCE ? seq + "," + h : h);
        code.add("{\n$>");
        code.addStatement("int steps = $L", SequenceMembers.ACTIVE_STEPS);
        code.addStatement("int rows = steps * n");
        Node lookup = ctx.fusion().lookupOf(node);
        if (lookup == null) {
            code.add("// layer 0 reads its input time-major: (n,T,$L) -> (steps,n,$L)\n", in0, in0);
            code.beginControlFlow("for (int b = 0; b < n; b++)");
            code.beginControlFlow("for (int t = 0; t < steps; t++)");
            code.addStatement("System.arraycopy($L, (b * $L + t) * $L, $L, (t * n + b) * $L, $L)", ctx.out(input), seq, in0,
                    xs(node), in0, in0);
            code.endControlFlow();
            code.endControlFlow();
        }
        if (op.dropout() > 0) code.addStatement("$L = isTraining()", dropped(node));
        for (int k = 0; k < op.layers(); k++) {
            int ink = op.inputSize(node, k);
            if (k == 0 && lookup != null) {
                code.add(biasSum(node, ctx, op, k));
                code.add(TokenProjection.forward(node, lookup, ctx));
            } else {
                code.add("// layer $L: input projection of all steps in one GEMM, (steps*n,$L) x ($L,$L)^T + bias\n", k,
                        ink, gh, ink);
                code.add(layerInput(node, op, k));
                code.add(biasSum(node, ctx, op, k));
                code.addStatement("gemm.nt(in$L, inOff$L, $L.value, 0, $L, $L, 0, rows, $L, $L, $T.BIAS)", k, k,
                        ctx.param(node, "WeightIhL" + k), biasSum(node), gates(node, k), gh, ink, Names.EPILOGUE);
            }
            code.add(initialState(node, ctx, op, cell, k));
            code.add("// through time: per step h_{t-1} W_hh^T, then $L (the gates and the state update in one pass)\n",
                forwardStep(node, k));
            code.addStatement("$L.forward($L.value, $L, $L, n, steps, $L)", product(node), ctx.param(node, "WeightHhL" + k),
                    hs(node, k), hh(node), forwardStepField(node, k));
            code.add("// carry the final state on\n");
            code.addStatement("System.arraycopy($L, steps * n * $L, $L, $L * maxBatch * $L, n * $L)", hs(node, k), h,
                    stateArrays(node).get(0), k, h, h);
            if (cell.hasCellState()) {
                code.addStatement("System.arraycopy($L, steps * n * $L, $L, $L * maxBatch * $L, n * $L)", cs(node, k), h,
                        stateArrays(node).get(1), k, h, h);
            }
            if (dropsBetween(op, k)) code.add(dropout(node, op, k));
        }
        int topLayer = op.layers() - 1;
        if (op.returns() == Returns.LAST) {
            code.add("// the last hidden state, (n,$L)\n", h);
            code.addStatement("System.arraycopy($L, steps * n * $L, $L, 0, n * $L)", hs(node, topLayer), h, out, h);
        } else {
            code.beginControlFlow("if (steps < $L)", seq).add("// steps past the active ones hold zeros\n");
            code.beginControlFlow("for (int b = 0; b < n; b++)");
            code.addStatement("$T.fill($L, (b * $L + steps) * $L, (b + 1) * $L, 0f)", java.util.Arrays.class, out, seq, h, seq * h);
            code.endControlFlow();
            code.endControlFlow();
        }
        code.add("$<}\n");
        return code.build();
    }

    @Override
    public CodeBlock backward(Node node, EmitContext ctx) {
        RecurrentOp op = (RecurrentOp) node.op();
        RecurrentCell cell = RecurrentCell.of(op.cell());
        Node input = node.inputs().get(0);
        int seq = op.steps(node), h = op.hidden(), gh = op.cell().gates() * h, in0 = op.inputSize(node, 0);
        String dOut = ctx.grad(node);
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L backward through time, from the last active step to the first (the gradient stops there)\n",
                node.name());
        code.add("{\n$>");
        code.addStatement("int steps = $L", SequenceMembers.ACTIVE_STEPS);
        code.addStatement("int rows = steps * n");
        Node lookup = ctx.fusion().lookupOf(node);
        for (int k = op.layers() - 1; k >= 0; k--) {
            boolean top = k == op.layers() - 1;
            int ink = op.inputSize(node, k);
            String gates = gates(node, k);
            String gradH = cell.separateHiddenGradient() ? gradHh(node) : gates;
            code.add("// layer $L\n", k);
            if (top && op.returns() == Returns.LAST) {
                code.addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", dOut, dhRec(node), h);
            } else {
                code.addStatement("$T.fill($L, 0, n * $L, 0f)", java.util.Arrays.class, dhRec(node), h);
            }
            if (cell.hasCellState()) code.addStatement("$T.fill($L, 0, n * $L, 0f)", java.util.Arrays.class, dcRec(node), h);
            code.add("// the step passes sum the columns of dA into the bias gradients\n");
            code.addStatement("$T.fill($L.grad, 0f)", java.util.Arrays.class, ctx.param(node, "BiasIhL" + k));
            if (cell.separateHiddenGradient()) {
                code.addStatement("$T.fill($L.grad, 0f)", java.util.Arrays.class, ctx.param(node, "BiasHhL" + k));
            }
            code.add("// through time, last step first: $L (dA_t from dL/dh_t), then dL/dh_{t-1} $L dA_t W_hh\n",
                    backwardStep(node, k), cell.separateHiddenGradient() ? "+=" : "=");
            code.addStatement("$L.backward($L.value, $L, $L, $L, n, steps, $L)", product(node),
                    ctx.param(node, "WeightHhL" + k), gradH, dhRec(node), cell.separateHiddenGradient(),
                    backwardStepField(node, k));
            boolean looksUp = k == 0 && lookup != null;
            code.add("// weight gradients of all steps at once: dW_hh = dA^T H_prev$L\n", looksUp ? "" : ", dW_ih = dA^T in");
            code.addStatement("gemm.tn($L, 0, $L, 0, $L.grad, 0, $L, $L, rows, false)", gradH, hs(node, k),
                    ctx.param(node, "WeightHhL" + k), gh, h);
            if (looksUp) {
                code.add(TokenProjection.backward(node, lookup, ctx));
            } else {
                code.add(layerInput(node, op, k));
                code.addStatement("gemm.tn($L, 0, in$L, inOff$L, $L.grad, 0, $L, $L, rows, false)", gates, k, k,
                        ctx.param(node, "WeightIhL" + k), gh, ink);
            }
            if (!cell.separateHiddenGradient()) {
                code.add("// b_hh enters where b_ih does: the same gradient\n");
                code.addStatement("System.arraycopy($L.grad, 0, $L.grad, 0, $L)", ctx.param(node, "BiasIhL" + k),
                        ctx.param(node, "BiasHhL" + k), gh);
            }
            if (k > 0) {
                code.add("// dL/d(layer $L input) = dA W_ih, time-major   (steps*n,$L)\n", k, h);
                code.addStatement("gemm.nn($L, 0, $L.value, 0, $L, 0, rows, $L, $L, false)", gates,
                        ctx.param(node, "WeightIhL" + k), dIn(node), h, gh);
                if (dropsBetween(op, k - 1)) {
                    code.beginControlFlow("if ($L)", dropped(node)).add("// through layer $L's dropout\n", k - 1);
                    String below = mask(node, k - 1);
                    code.add(VectorCode.flatLoop("rows * " + h,
                            i -> CodeBlock.of("$L.mul($L).intoArray($L, $L);\n", VectorCode.load(dIn(node), i),
                                    VectorCode.load(below, i), dIn(node), i),
                            i -> CodeBlock.of("$L[$L] *= $L[$L];\n", dIn(node), i, below, i)));
                    code.endControlFlow();
                }
            }
        }
        // one-hot vectors of token ids need no gradient; a token lookup done here wrote its own with dW_ih
        if (!(input.op() instanceof OneHotOp) && lookup == null) {
            code.add(ctx.writingGradientOf(input, inputGradient(node, ctx, op, in0, seq)));
        }
        code.add("$<}\n");
        return code.build();
    }

    /** dL/d(node input) = dA W_ih of layer 0, time-major, then batch-first into the input's gradient. */
    private static CodeBlock inputGradient(Node node, EmitContext ctx, RecurrentOp op, int in0, int seq) {
        Node input = node.inputs().get(0);
        boolean overwrite = ctx.gradients().overwrites(node, 0);
        String grad = ctx.grad(input);
        int gh = op.cell().gates() * op.hidden();
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// dL/d$L $L dA W_ih of layer 0, back to batch-first   (n,$L,$L)\n", input.name(), overwrite ? "=" : "+=",
                seq, in0);
        code.addStatement("gemm.nn($L, 0, $L.value, 0, $L, 0, rows, $L, $L, false)", gates(node, 0),
                ctx.param(node, "WeightIhL0"), dIn(node), in0, gh);
        code.beginControlFlow("for (int b = 0; b < n; b++)");
        code.beginControlFlow("for (int t = 0; t < steps; t++)");
        if (overwrite) {
            code.addStatement("System.arraycopy($L, (t * n + b) * $L, $L, (b * $L + t) * $L, $L)", dIn(node), in0, grad, seq,
                    in0, in0);
        } else {
            code.addStatement("int src = (t * n + b) * $L, dst = (b * $L + t) * $L", in0, seq, in0);
            code.add(LaneMath.lanes(in0, m -> CodeBlock.builder()
                    .add(m.let("sum", m.add(m.load(grad, "dst + j"), m.load(dIn(node), "src + j"))))
                    .add(m.store(grad, "dst + j", "sum")).build()));
        }
        code.endControlFlow();
        if (overwrite) {
            code.addStatement("if (steps < $L) $T.fill($L, (b * $L + steps) * $L, (b + 1) * $L, 0f)", seq,
                    java.util.Arrays.class, grad, seq, in0, seq * in0);
        }
        code.endControlFlow();
        return code.build();
    }

    /** Declares locals {@code in<k>, inOff<k>}: the array and offset holding layer k's input, time-major. */
    private static CodeBlock layerInput(Node node, RecurrentOp op, int k) {
        int h = op.hidden();
        if (k == 0) return CodeBlock.of("float[] in0 = $L;\nint inOff0 = 0;\n", xs(node));
        if (!dropsBetween(op, k - 1)) {
            return CodeBlock.of("float[] in$L = $L;\nint inOff$L = n * $L; // h_1.., past the initial state\n", k,
                    hs(node, k - 1), k, h);
        }
        return CodeBlock.of("float[] in$L = $L ? $L : $L;\nint inOff$L = $L ? 0 : n * $L;\n", k, dropped(node),
                drop(node, k - 1), hs(node, k - 1), k, dropped(node), h);
    }

    /** The input projection's bias: b_ih + b_hh, except the GRU candidate's b_hn, which r multiplies. */
    private static CodeBlock biasSum(Node node, EmitContext ctx, RecurrentOp op, int k) {
        int h = op.hidden(), gh = op.cell().gates() * h;
        int summed = op.cell() == RecurrentOp.Cell.GRU ? 2 * h : gh;
        String bih = ctx.param(node, "BiasIhL" + k) + ".value", bhh = ctx.param(node, "BiasHhL" + k) + ".value";
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int j = 0; j < $L; j++)", summed)
                .addStatement("$L[j] = $L[j] + $L[j]", biasSum(node), bih, bhh)
                .endControlFlow();
        if (summed < gh) code.addStatement("System.arraycopy($L, $L, $L, $L, $L)", bih, summed, biasSum(node), summed, gh - summed);
        return code.build();
    }

    /** h_0 (and c_0) of layer k: zeros, or the carried state. */
    private static CodeBlock initialState(Node node, EmitContext ctx, RecurrentOp op, RecurrentCell cell, int k) {
        int h = op.hidden();
        List<String> states = stateArrays(node);
        List<String> buffers = cell.hasCellState() ? List.of(hs(node, k), cs(node, k)) : List.of(hs(node, k));
        CodeBlock.Builder code = CodeBlock.builder().beginControlFlow("if ($L)", SequenceMembers.CARRY_STATE);
        for (int i = 0; i < buffers.size(); i++) {
            code.addStatement("System.arraycopy($L, $L * maxBatch * $L, $L, 0, n * $L)", states.get(i), k, h, buffers.get(i), h);
        }
        code.nextControlFlow("else");
        for (String b : buffers) code.addStatement("$T.fill($L, 0, n * $L, 0f)", java.util.Arrays.class, b, h);
        return code.endControlFlow().build();
    }

    /** Inverted dropout on layer k's hidden states h_1..h_steps, in training, from the model's random stream. */
    private static CodeBlock dropout(Node node, RecurrentOp op, int k) {
        int h = op.hidden();
        float rate = (float) op.dropout(), scale = (float) (1 / (1 - op.dropout()));
        return CodeBlock.builder()
                .add("// dropout between layers $L and $L (training): keep with probability $L, scaled by $L\n", k, k + 1,
                        1 - op.dropout(), scale)
                .beginControlFlow("if ($L)", dropped(node))
                .addStatement("long state = randomState()")
                .beginControlFlow("for (int i = 0; i < rows * $L; i++)", h)
                .add("// SplitMix64; the top 24 bits as a uniform float in [0, 1)\n")
                .addStatement("state += 0x9E3779B97F4A7C15L")
                .addStatement("long z = (state ^ (state >>> 30)) * 0xBF58476D1CE4E5B9L")
                .addStatement("z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL")
                .addStatement("float keep = ((z ^ (z >>> 31)) >>> 40) * 0x1.0p-24f < $Lf ? 0f : $Lf", rate, scale)
                .addStatement("$L[i] = keep", mask(node, k))
                .addStatement("$L[i] = $L[n * $L + i] * keep", drop(node, k), hs(node, k), h)
                .endControlFlow()
                .addStatement("setRandomState(state)")
                .endControlFlow()
                .build();
    }

    private static RecurrentCell.Step step(Node node, EmitContext ctx, RecurrentOp op, int k) {
        RecurrentCell cell = RecurrentCell.of(op.cell());
        return new RecurrentCell.Step(op.hidden(), gates(node, k), hh(node), hs(node, k),
                cell.hasCellState() ? cs(node, k) : null, op.cell() == RecurrentOp.Cell.GRU ? hn(node, k) : null,
                cell.separateHiddenGradient() ? gradHh(node) : null, dhRec(node),
                cell.hasCellState() ? dcRec(node) : null, ctx.param(node, "BiasHhL" + k) + ".value");
    }

    private static String product(Node n) {
        return id(n) + "Product";
    }

    private static String forwardStep(Node n, int k) {
        return id(n) + "ForwardStepL" + k;
    }

    private static String backwardStep(Node n, int k) {
        return id(n) + "BackwardStepL" + k;
    }

    private static String forwardStepField(Node n, int k) {
        return forwardStep(n, k) + "Pass";
    }

    private static String backwardStepField(Node n, int k) {
        return backwardStep(n, k) + "Pass";
    }

    private static boolean dropsBetween(RecurrentOp op, int k) {
        return op.dropout() > 0 && k < op.layers() - 1;
    }

    static String id(Node n) {
        return Names.identifier(n.name());
    }

    static String xs(Node n) {
        return id(n) + "Xs";
    }

    static String gates(Node n, int k) {
        return id(n) + "GatesL" + k;
    }

    private static String hs(Node n, int k) {
        return id(n) + "HL" + k;
    }

    private static String cs(Node n, int k) {
        return id(n) + "CL" + k;
    }

    private static String hn(Node n, int k) {
        return id(n) + "HnL" + k;
    }

    private static String drop(Node n, int k) {
        return id(n) + "DropL" + k;
    }

    private static String mask(Node n, int k) {
        return id(n) + "MaskL" + k;
    }

    private static String dropped(Node n) {
        return id(n) + "Dropped";
    }

    private static String hh(Node n) {
        return id(n) + "Hh";
    }

    private static String dhRec(Node n) {
        return id(n) + "DhRec";
    }

    private static String dcRec(Node n) {
        return id(n) + "DcRec";
    }

    private static String gradHh(Node n) {
        return id(n) + "GradHh";
    }

    static String dIn(Node n) {
        return id(n) + "DIn";
    }

    static String biasSum(Node n) {
        return id(n) + "BiasSum";
    }
}
