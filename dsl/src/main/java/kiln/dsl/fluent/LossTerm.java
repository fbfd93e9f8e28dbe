package kiln.dsl.fluent;

import java.util.List;
import kiln.dsl.Reduction;
import kiln.ir.LossOp;

/**
 * One loss term of a model: {@code recon.lossTerm(BINARY_CROSS_ENTROPY).target(image).reduction(SUM)}.
 * Combine terms with {@link Kiln#minimize}; no node can read a term.
 */
public final class LossTerm extends Node {
    LossTerm(Draft draft, LossOp op, Node scored) {
        super(draft, op, List.of(scored));
    }

    /** Compares with {@code target} (an input or a node of this model) instead of the data's labels or targets. */
    public LossTerm target(Node target) {
        draft.checkOpen();
        draft.checkSameModel(target);
        inputs = List.of(inputs.get(0), target);
        return this;
    }

    /** The term's weight in the total loss (1 unless given). */
    public LossTerm weight(double weight) {
        draft.checkOpen();
        LossOp l = (LossOp) op;
        op = new LossOp(l.loss(), weight, l.reduction());
        return this;
    }

    /** How the term reduces over elements and rows (its kind's default unless given). */
    public LossTerm reduction(Reduction reduction) {
        draft.checkOpen();
        if (reduction == null) throw new IllegalArgumentException("reduction needs a Reduction");
        LossOp l = (LossOp) op;
        op = new LossOp(l.loss(), l.weight(), reduction);
        return this;
    }

    @Override
    public LossTerm named(String name) {
        super.named(name);
        return this;
    }

    /** Ends the chain with this term as the model's loss. */
    ModelSpec done() {
        return draft.finish(List.of(this));
    }
}
