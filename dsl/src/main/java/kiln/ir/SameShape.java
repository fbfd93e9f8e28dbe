package kiln.ir;

import java.util.List;

/** The check of element-wise joins (add, multiply): at least two inputs, all of one shape. */
final class SameShape {
    private SameShape() {}

    static Shape of(String node, String kind, List<Node> inputs) throws IrException {
        if (inputs.size() < 2) {
            throw new IrException(node, "value", kind + " needs at least two inputs, got " + inputs.size());
        }
        Node first = inputs.get(0);
        for (Node other : inputs.subList(1, inputs.size())) {
            if (!other.shape().equals(first.shape())) {
                throw new IrException(node, "value", "shape mismatch in " + kind + ": '" + first.name() + "' is "
                        + first.shape() + " but '" + other.name() + "' is " + other.shape());
            }
        }
        return first.shape();
    }
}
