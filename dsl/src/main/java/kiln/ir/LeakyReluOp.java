package kiln.ir;

import java.util.List;

/** LeakyReLU, element-wise: x for x > 0, slope * x otherwise; the shape is unchanged. */
public record LeakyReluOp(double slope) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (!Double.isFinite(slope)) throw new IrException(node, "slope", "leaky_relu slope must be a finite number, got " + slope);
        return inputs.get(0).shape();
    }

    @Override
    public String kind() {
        return "leaky_relu";
    }
}
