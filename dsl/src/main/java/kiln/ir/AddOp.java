package kiln.ir;

import java.util.List;

/** Element-wise sum of inputs of one shape (residual joins). */
public record AddOp() implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        return SameShape.of(node, "add", inputs);
    }

    @Override
    public String kind() {
        return "add";
    }
}
