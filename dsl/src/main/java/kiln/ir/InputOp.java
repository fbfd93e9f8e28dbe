package kiln.ir;

import java.util.List;

/** The model input; its shape is declared, not inferred. */
public record InputOp(Shape shape) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        for (int d : shape.dims()) {
            if (d < 1) throw new IrException(node, "value", "input shape " + shape + " has a dimension < 1");
        }
        if (shape.rank() == 0) throw new IrException(node, "value", "input shape is empty: give at least one dimension");
        return shape;
    }

    @Override
    public String kind() {
        return "input";
    }
}
