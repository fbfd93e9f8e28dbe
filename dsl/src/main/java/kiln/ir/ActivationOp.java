package kiln.ir;

import java.util.List;
import kiln.dsl.Activation;

/** An activation as a node of its own: element-wise, or softmax over a sample's last axis. */
public record ActivationOp(Activation activation) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        Shape in = inputs.get(0).shape();
        if (activation == Activation.SOFTMAX && in.rank() != 1) {
            throw new IrException(node, "softmax needs a flat input of rank 1, but '" + inputs.get(0).name()
                    + "' has shape " + in);
        }
        return in;
    }

    @Override
    public String kind() {
        return activation.name().toLowerCase(java.util.Locale.ROOT);
    }
}
