package kiln.ir;

import java.util.List;

/** Inputs joined along one axis of the sample ({@code axis} -1: the last); the other axes must agree. */
public record ConcatOp(int axis) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (inputs.size() < 2) throw new IrException(node, "value", "concat needs at least two inputs, got " + inputs.size());
        Node first = inputs.get(0);
        int a = Axes.resolve(node, "concat", axis, first);
        int[] dims = first.shape().dims();
        int total = 0;
        for (Node in : inputs) {
            int[] d = in.shape().dims();
            boolean fits = d.length == dims.length;
            for (int i = 0; fits && i < d.length; i++) fits = i == a || d[i] == dims[i];
            if (!fits) {
                throw new IrException(node, "value", "concat along axis " + a + " needs inputs equal on every other axis, but '"
                        + first.name() + "' is " + first.shape() + " and '" + in.name() + "' is " + in.shape());
            }
            total += d[a];
        }
        dims[a] = total;
        return Shape.of(dims);
    }

    /** The resolved axis, for a node whose inputs are known. */
    public int axisOf(Node self) {
        return Axes.index(axis, self.shape().rank());
    }

    @Override
    public String kind() {
        return "concat";
    }
}
