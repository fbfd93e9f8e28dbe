package kiln.ir;

import java.util.List;

/** Element-wise product of inputs of one shape. */
public record MultiplyOp() implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        return SameShape.of(node, "multiply", inputs);
    }

    @Override
    public String kind() {
        return "multiply";
    }
}
