package kiln.ir;

import java.util.List;
import java.util.Locale;
import kiln.dsl.Returns;

/**
 * A stack of {@code layers} recurrent layers of one cell kind over a sequence [steps, features]:
 * [steps, hidden] when it returns every step's hidden state, [hidden] when only the last.
 * Dropout, when above 0, applies to the hidden states between stacked layers in training.
 * Conventions (weight layouts, gate order) are PyTorch's; see the shared fixtures' MANIFEST.json.
 */
public record RecurrentOp(Cell cell, int hidden, int layers, double dropout, Returns returns) implements Op {
    /** The cell kinds, each with its number of gate blocks of {@code hidden} rows in the weights. */
    public enum Cell {
        /** h = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh). */
        RNN_TANH(1),
        /** Gates (i, f, g, o). */
        LSTM(4),
        /** Gates (r, z, n). */
        GRU(3);

        private final int gates;

        Cell(int gates) {
            this.gates = gates;
        }

        /** Gate blocks per layer: the weights have {@code gates() * hidden} rows. */
        public int gates() {
            return gates;
        }

        /** Lower-case name, as in messages and the fixtures: rnn_tanh, lstm, gru. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (hidden < 1) throw new IrException(node, "hidden", cell.label() + " hidden size must be >= 1, got " + hidden);
        if (layers < 1) throw new IrException(node, "layers", cell.label() + " layers must be >= 1, got " + layers);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IrException(node, "dropout", cell.label() + " dropout must be in [0, 1), got " + dropout);
        }
        if (dropout > 0 && layers == 1) {
            throw new IrException(node, "dropout", cell.label() + " dropout applies between stacked layers, and with"
                    + " layers = 1 there are none: set layers >= 2, or put a @Dropout node after '" + node + "'");
        }
        Node in = inputs.get(0);
        if (in.shape().rank() != 2) {
            throw new IrException(node, "from", cell.label() + " needs a sequence input of rank 2 [steps, features], but '"
                    + in.name() + "' has shape " + in.shape() + ": declare @Input({steps, features}), or turn token ids"
                    + " into vectors with @Embedding or @OneHot");
        }
        int steps = in.shape().dim(0);
        return returns == Returns.SEQUENCE ? Shape.of(steps, hidden) : Shape.of(hidden);
    }

    /** Input features of layer {@code layer}: the sequence's for layer 0, the hidden size above. */
    public int inputSize(Node self, int layer) {
        return layer == 0 ? self.inputs().get(0).shape().dim(1) : hidden;
    }

    /** Time steps of the input sequence. */
    public int steps(Node self) {
        return self.inputs().get(0).shape().dim(0);
    }

    @Override
    public String kind() {
        return cell.label();
    }
}
