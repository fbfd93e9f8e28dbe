package kiln.ir;

import java.util.List;

/** Positions [start, end) of one axis of the sample ({@code axis} -1: the last). */
public record SliceOp(int axis, int start, int end) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        Node in = inputs.get(0);
        int a = Axes.resolve(node, "slice", axis, in);
        int size = in.shape().dim(a);
        if (start < 0 || end > size || start >= end) {
            throw new IrException(node, start < 0 || start >= size ? "start" : "end", "slice [" + start + ", " + end
                    + ") does not fit axis " + a + " of '" + in.name() + "' " + in.shape() + ": need 0 <= start < end <= " + size);
        }
        int[] dims = in.shape().dims();
        dims[a] = end - start;
        return Shape.of(dims);
    }

    /** The resolved axis. */
    public int axisOf(Node self) {
        return Axes.index(axis, self.shape().rank());
    }

    @Override
    public String kind() {
        return "slice";
    }
}
