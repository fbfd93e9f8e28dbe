package kiln.ir;

/** Axis arguments of the shape ops: -1 is the last axis. */
public final class Axes {
    private Axes() {}

    /** {@code axis} (-1: the last) as an index into a shape of rank {@code rank}. */
    static int index(int axis, int rank) {
        return axis < 0 ? rank + axis : axis;
    }

    /**
     * The floats of a sample before {@code axis} of {@code shape}: a per-sample buffer is this many
     * contiguous blocks, each holding the axis and the axes after it.
     */
    public static int outer(Shape shape, int axis) {
        int outer = 1;
        for (int a = 0; a < axis; a++) outer *= shape.dim(a);
        return outer;
    }

    /** {@code axis} as an index into a shape of rank {@code rank}, or why it is none. */
    static int resolve(String node, String kind, int axis, Node in) throws IrException {
        int rank = in.shape().rank();
        int a = index(axis, rank);
        if (a < 0 || a >= rank) {
            throw new IrException(node, "axis", kind + " axis " + axis + " is outside '" + in.name() + "' of shape " + in.shape()
                    + " (axes 0.." + (rank - 1) + ", or -1 for the last)");
        }
        return a;
    }
}
