package kiln.dsl.fluent;

import java.util.List;
import kiln.dsl.Returns;
import kiln.ir.RecurrentOp;

/**
 * A recurrent node (RNN, LSTM or GRU), with the options of {@code @Lstm}: one layer, no dropout,
 * every step's hidden state returned, unless stated.
 */
public final class RecurrentNode extends Node {
    RecurrentNode(Draft draft, RecurrentOp op, Node input) {
        super(draft, op, List.of(input));
    }

    private RecurrentNode with(RecurrentOp changed) {
        draft.checkOpen();
        op = changed;
        return this;
    }

    /** Stacked layers, each reading the hidden states of the one below. */
    public RecurrentNode layers(int layers) {
        RecurrentOp r = (RecurrentOp) op;
        return with(new RecurrentOp(r.cell(), r.hidden(), layers, r.dropout(), r.returns()));
    }

    /** Stacked layers with dropout on the hidden states between them, in training (PyTorch's {@code dropout}). */
    public RecurrentNode layers(int layers, double dropout) {
        RecurrentOp r = (RecurrentOp) op;
        return with(new RecurrentOp(r.cell(), r.hidden(), layers, dropout, r.returns()));
    }

    /** Every step's hidden state [steps, hidden] (SEQUENCE, the default), or the last one [hidden] (LAST). */
    public RecurrentNode returns(Returns returns) {
        RecurrentOp r = (RecurrentOp) op;
        return with(new RecurrentOp(r.cell(), r.hidden(), r.layers(), r.dropout(), returns));
    }

    @Override
    public RecurrentNode named(String name) {
        super.named(name);
        return this;
    }
}
