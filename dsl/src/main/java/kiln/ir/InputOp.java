package kiln.ir;

import java.util.List;
import kiln.dsl.InputKind;

/** A model input; its shape is declared, not inferred, and so may be its kind (else {@link Graph#kindOf}). */
public record InputOp(Shape shape, InputKind inputKind) implements Op {
    public InputOp(Shape shape) {
        this(shape, InputKind.AUTO);
    }

    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        for (int d : shape.dims()) {
            if (d < 1) throw new IrException(node, "value", "input shape " + shape + " has a dimension < 1");
        }
        if (shape.rank() == 0) throw new IrException(node, "value", "input shape is empty: give at least one dimension");
        if (inputKind == InputKind.IMAGE && shape.rank() != 3) {
            throw new IrException(node, "kind", "an image input is [channels, height, width], but '" + node + "' has shape " + shape);
        }
        if (inputKind == InputKind.TOKENS && shape.rank() != 1) {
            throw new IrException(node, "kind", "a token-id input is [steps], but '" + node + "' has shape " + shape);
        }
        return shape;
    }

    @Override
    public String kind() {
        return "input";
    }
}
