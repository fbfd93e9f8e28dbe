package kiln.ir;

import java.util.List;

/** Element-wise sum of inputs of one shape (residual joins). */
public record AddOp() implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (inputs.size() < 2) {
            throw new IrException(node, "value", "add needs at least two inputs, got " + inputs.size());
        }
        Node first = inputs.get(0);
        for (Node other : inputs.subList(1, inputs.size())) {
            if (!other.shape().equals(first.shape())) {
                throw new IrException(node, "value", "shape mismatch in add: '" + first.name() + "' is "
                        + first.shape() + " but '" + other.name() + "' is " + other.shape());
            }
        }
        return first.shape();
    }

    @Override
    public String kind() {
        return "add";
    }
}
