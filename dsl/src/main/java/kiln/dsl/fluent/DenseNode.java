package kiln.dsl.fluent;

import kiln.dsl.Init;
import kiln.ir.DenseOp;

/** A dense node, with the options of {@code @Dense} that only a dense layer has. */
public final class DenseNode extends Node {
    DenseNode(Draft draft, DenseOp op, Node input) {
        super(draft, op, java.util.List.of(input));
    }

    /** How the weight is initialised (He-normal unless stated); the bias starts at zero. */
    public DenseNode init(Init init) {
        draft.checkOpen();
        if (init == null) throw new IllegalArgumentException("init needs an Init");
        DenseOp d = (DenseOp) op;
        op = new DenseOp(d.units(), d.bias(), d.activation(), init);
        return this;
    }

    /** Drops the bias: y = activation(x W^T). */
    public DenseNode withoutBias() {
        draft.checkOpen();
        DenseOp d = (DenseOp) op;
        op = new DenseOp(d.units(), false, d.activation(), d.init());
        return this;
    }

    @Override
    public DenseNode named(String name) {
        super.named(name);
        return this;
    }
}
