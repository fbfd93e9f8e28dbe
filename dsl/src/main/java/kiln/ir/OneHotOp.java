package kiln.ir;

import java.util.List;

/** Token ids to one-hot vectors: the model input's [steps] ids to [steps, classes]. */
public record OneHotOp(int classes) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (classes < 1) throw new IrException(node, "value", "one_hot needs >= 1 classes, got " + classes);
        return Shape.of(TokenIds.steps(node, "one_hot", inputs.get(0)), classes);
    }

    @Override
    public String kind() {
        return "one_hot";
    }
}
