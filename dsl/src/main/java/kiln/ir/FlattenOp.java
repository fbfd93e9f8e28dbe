package kiln.ir;

import java.util.List;

/** Any shape viewed as one flat axis, row-major: [C, H, W] to [C*H*W]. The values do not move. */
public record FlattenOp() implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        return Shape.of(inputs.get(0).shape().size());
    }

    @Override
    public String kind() {
        return "flatten";
    }
}
