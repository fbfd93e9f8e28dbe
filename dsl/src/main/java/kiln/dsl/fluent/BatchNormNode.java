package kiln.dsl.fluent;

import java.util.List;
import kiln.ir.BatchNormOp;

/** A batch-normalisation node, with the options of {@code @BatchNorm}: momentum 0.1, eps 1e-5 unless stated. */
public final class BatchNormNode extends Node {
    BatchNormNode(Draft draft, BatchNormOp op, Node input) {
        super(draft, op, List.of(input));
    }

    private BatchNormNode with(BatchNormOp changed) {
        draft.checkOpen();
        op = changed;
        return this;
    }

    /** How fast the running statistics follow the batches': running = (1 - momentum) running + momentum batch. */
    public BatchNormNode momentum(double momentum) {
        BatchNormOp b = (BatchNormOp) op;
        return with(new BatchNormOp(momentum, b.eps(), b.activation()));
    }

    public BatchNormNode eps(double eps) {
        BatchNormOp b = (BatchNormOp) op;
        return with(new BatchNormOp(b.momentum(), eps, b.activation()));
    }

    @Override
    public BatchNormNode named(String name) {
        super.named(name);
        return this;
    }
}
