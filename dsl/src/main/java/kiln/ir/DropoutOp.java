package kiln.ir;

import java.util.List;

/** Inverted dropout with drop probability {@code rate}; the shape is unchanged. */
public record DropoutOp(double rate) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (!(rate >= 0 && rate < 1)) {
            throw new IrException(node, "value", "dropout rate must be in [0, 1), got " + rate);
        }
        return inputs.get(0).shape();
    }

    @Override
    public String kind() {
        return "dropout";
    }
}
